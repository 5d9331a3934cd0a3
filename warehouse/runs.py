"""Run history: one ingest_runs row per run, one ingest_errors row per failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

# ingest_runs.status values
RUNNING, COMPLETED, FAILED, INTERRUPTED = "running", "completed", "failed", "interrupted"


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


@dataclass(frozen=True)
class RunRecord:
    """One row of ingest_runs, as `lokus runs` shows it."""

    run_id: str
    source: str | None
    started_at: datetime
    finished_at: datetime | None
    status: str
    n_new: int
    n_updated: int
    n_unchanged: int
    n_withdrawn: int
    n_failed: int
    duration_s: float | None


@dataclass(frozen=True)
class ErrorRecord:
    """One row of ingest_errors."""

    run_id: str | None
    source: str | None
    uri: str
    stage: str
    error_class: str
    message: str
    occurred_at: datetime


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
    conn: duckdb.DuckDBPyConnection, run_id: str, counts: RunCounts, *, status: str = COMPLETED
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


def close_stale_runs(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Mark runs still 'running' as interrupted, each with an error row saying so.

    Call it only while holding the writer lock: then no other run can be going on, so a
    'running' row is a run that was killed or crashed before it could finish.
    """
    stale = conn.execute(
        "UPDATE ingest_runs SET status = ?, finished_at = current_localtimestamp(), "
        "duration_s = epoch(current_localtimestamp() - started_at) "
        "WHERE status = ? RETURNING run_id, source",
        [INTERRUPTED, RUNNING],
    ).fetchall()
    for run_id, source in stale:
        record_failure(conn, run_id, source, Failure(
            source or "(ad hoc)", "run", "Interrupted",
            "the run stopped before finishing (killed or crashed); documents it had committed "
            "were kept and the next run did the rest",
        ))
    return [run_id for run_id, _ in stale]


def recent_runs(
    conn: duckdb.DuckDBPyConnection, *, last: int = 20, source: str | None = None
) -> list[RunRecord]:
    """The latest runs, newest first, optionally of one source."""
    rows = conn.execute(
        "SELECT run_id, source, started_at, finished_at, status, n_new, n_updated, n_unchanged, "
        "n_withdrawn, n_failed, duration_s FROM ingest_runs "
        "WHERE ? IS NULL OR source = ? ORDER BY started_at DESC LIMIT ?",
        [source, source, last],
    ).fetchall()
    return [RunRecord(*row) for row in rows]


def run_errors(
    conn: duckdb.DuckDBPyConnection, run_id: str, *, limit: int = 1000
) -> list[ErrorRecord]:
    """The failures recorded by one run, in the order they were written."""
    rows = conn.execute(
        "SELECT run_id, source, uri, stage, error_class, message, occurred_at FROM ingest_errors "
        "WHERE run_id = ? ORDER BY occurred_at, uri LIMIT ?",
        [run_id, limit],
    ).fetchall()
    return [ErrorRecord(*row) for row in rows]


def find_run(conn: duckdb.DuckDBPyConnection, run_id: str) -> RunRecord | None:
    """One run by id (a unique prefix of it is enough)."""
    rows = conn.execute(
        "SELECT run_id, source, started_at, finished_at, status, n_new, n_updated, n_unchanged, "
        "n_withdrawn, n_failed, duration_s FROM ingest_runs WHERE starts_with(run_id, ?) LIMIT 2",
        [run_id],
    ).fetchall()
    return RunRecord(*rows[0]) if len(rows) == 1 else None
