"""The `ingest` Prefect flow: discover → read → load → index, with a run record and a summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.steps import (
    Processed,
    Target,
    Unchanged,
    discover,
    failure_of,
    prepare,
    read_local,
    sha256_hex,
)
from lokus.settings import get_settings
from warehouse.db import connect
from warehouse.load import known_sha256, load_document
from warehouse.publish import checkpoint_and_close, publish
from warehouse.runs import Failure, RunCounts, finish_run, record_failure, start_run

BATCH = 8  # documents read concurrently before loading; bounds memory


@dataclass
class IngestSummary:
    """What one ingest run did."""

    run_id: str
    db_path: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    failures: list[Failure] = field(default_factory=list)
    chunks_embedded: int = 0
    duration_s: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def loaded(self) -> int:
        return self.new + self.updated


@task(name="read", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[1, 4],
      retry_condition_fn=lambda task, run, state: _is_transient(state))
def read_task(target: Target, known_sha: str | None) -> Processed | Unchanged | Failure:
    """Fetch or open a document; skip parsing when its bytes are already loaded.

    A bad document comes back as a Failure; only transient network faults raise (and retry).
    """
    try:
        return _read(target, known_sha)
    except Exception as exc:
        if getattr(exc, "transient", False):
            raise
        return failure_of(target, exc)


def _read(target: Target, known_sha: str | None) -> Processed | Unchanged:
    settings = get_settings()
    max_bytes = settings.max_file_mb * 1024 * 1024
    if target.is_url:
        from flows.fetch import fetch_document

        fetched = fetch_document(target.uri, max_bytes=max_bytes, timeout=settings.http_timeout_s)
        data, content_type = fetched.content, fetched.content_type
    else:
        data, content_type = read_local(target.uri, max_bytes), None
    if known_sha is not None and sha256_hex(data) == known_sha:
        return Unchanged(target)
    return prepare(
        target, data, content_type,
        chunk_chars=settings.chunk_chars, chunk_overlap=settings.chunk_overlap,
    )


def _is_transient(state) -> bool:
    """Retry only network-level faults, never a document that is simply bad."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - we only classify here
        return getattr(exc, "transient", False)
    return False


@task(name="index", cache_policy=NO_CACHE)
def index_task(db_path: str, model: str) -> int:
    """Embed new chunks (cached by content) and rebuild the keyword index."""
    from search.embedders import get_embedder
    from search.index import build_index

    conn = connect(db_path)
    try:
        stats = build_index(conn, get_embedder(model))
    finally:
        conn.close()
    return stats.embedded


def store_facts(conn, processed: Processed) -> None:
    """Replace the document's facts, inside its load transaction."""
    if processed.facts is None:
        return
    from warehouse.facts import replace_facts

    replace_facts(conn, processed.document.document_id, processed.facts)


@flow(name="ingest", validate_parameters=False)
def ingest(
    paths_or_urls: list[str],
    db_path: str | None = None,
    model: str | None = None,
    source: str | None = None,
    show_progress: bool = False,
) -> IngestSummary:
    """Ingest files, folders and URLs into the warehouse and refresh the search index."""
    logger = get_run_logger()
    settings = get_settings()
    db_path = str(db_path or settings.db)
    model = model or settings.model
    run_id = uuid.uuid4().hex[:12]
    conn = connect(db_path)
    start_run(conn, run_id, source)
    counts = RunCounts()
    targets, failures = discover(paths_or_urls)
    counts.failures.extend(failures)
    known = known_sha256(conn)
    logger.info("run %s: %d documents to consider", run_id, len(targets))

    with _progress(show_progress, len(targets)) as advance:
        for start in range(0, len(targets), BATCH):
            batch = targets[start:start + BATCH]
            futures = [read_task.submit(t, known.get(t.uri)) for t in batch]
            for target, future in zip(batch, futures, strict=True):
                _load_one(conn, target, future, counts, logger)
                advance(Path(target.uri).name)

    for failure in counts.failures:
        record_failure(conn, run_id, source, failure)
    embedded = 0
    if counts.new or counts.updated or not _keyword_index_exists(conn):
        embedded = index_task(db_path, model)
    status = "failed" if targets == [] and counts.failures else "completed"
    duration = finish_run(conn, run_id, counts, status=status)
    checkpoint_and_close(conn)
    publish(db_path)
    summary = IngestSummary(
        run_id, db_path, counts.new, counts.updated, counts.unchanged, counts.withdrawn,
        counts.failures, embedded, duration,
    )
    logger.info(
        "run %s: %d new, %d updated, %d unchanged, %d failed, %d chunks embedded in %.1f s",
        run_id, summary.new, summary.updated, summary.unchanged, summary.failed, embedded, duration,
    )
    return summary


def _load_one(conn, target: Target, future, counts: RunCounts, logger) -> None:
    """Wait for one read and load its document, recording any failure; never raises."""
    try:
        result = future.result()
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        counts.failures.append(failure_of(target, exc))
        logger.warning("failed %s: %s", target.uri, exc)
        return
    if isinstance(result, Failure):
        counts.failures.append(result)
        logger.warning("failed %s: %s", target.uri, result.message)
        return
    if isinstance(result, Unchanged):
        counts.unchanged += 1
        return
    try:
        loaded = load_document(
            conn, result.document, result.chunks,
            after_load=lambda c, _doc: store_facts(c, result),
        )
    except Exception as exc:  # noqa: BLE001
        counts.failures.append(failure_of(target, exc, stage="load"))
        logger.warning("failed to load %s: %s", target.uri, exc)
        return
    if loaded.outcome == "new":
        counts.new += 1
    elif loaded.outcome == "updated":
        counts.updated += 1
    else:
        counts.unchanged += 1


def _keyword_index_exists(conn) -> bool:
    """True once the fts index over chunks has been built."""
    row = conn.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_chunks'"
    ).fetchone()
    return bool(row and row[0])


class _progress:
    """A rich progress bar when asked for, a no-op otherwise."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total = enabled, total

    def __enter__(self):
        if not self.enabled:
            return lambda _label: None
        from rich.progress import Progress

        self._bar = Progress(transient=True)
        self._bar.start()
        task_id = self._bar.add_task("ingesting", total=self.total)
        return lambda label: self._bar.update(task_id, advance=1, description=label[:40])

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._bar.stop()
