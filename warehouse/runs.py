"""Run history: one ingest_runs row per run, one ingest_errors row per failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class Failure:
    """One document that could not be ingested, and why."""

    uri: str
    stage: str
    error_class: str
    message: str


@dataclass
class RunCounts:
    """Counts of what a run did to documents."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def start_run(conn: duckdb.DuckDBPyConnection, run_id: str, source: str | None) -> datetime:
    """Record that a run has started."""
    started = datetime.now()
    conn.execute(
        "INSERT INTO ingest_runs (run_id, source, started_at, status) VALUES (?, ?, ?, 'running')",
        [run_id, source, started],
    )
    return started


def record_failure(
    conn: duckdb.DuckDBPyConnection, run_id: str, source: str | None, failure: Failure
) -> None:
    """Write one ingest_errors row."""
    conn.execute(
        "INSERT INTO ingest_errors (run_id, source, uri, stage, error_class, message) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, source, failure.uri, failure.stage, failure.error_class, failure.message],
    )


def finish_run(
    conn: duckdb.DuckDBPyConnection, run_id: str, counts: RunCounts, *, status: str = "completed"
) -> float:
    """Record a run's end, its counts and duration; returns the duration in seconds."""
    row = conn.execute(
        """
        UPDATE ingest_runs SET finished_at = current_localtimestamp(), status = ?,
            n_new = ?, n_updated = ?, n_unchanged = ?, n_withdrawn = ?, n_failed = ?,
            duration_s = epoch(current_localtimestamp() - started_at)
        WHERE run_id = ? RETURNING duration_s
        """,
        [status, counts.new, counts.updated, counts.unchanged, counts.withdrawn, counts.failed,
         run_id],
    ).fetchone()
    return float(row[0]) if row else 0.0
