"""The ingest flows: list → fetch and read (only what changed) → load → index → publish.

`ingest_source` runs one source of sources.yaml; `ingest` takes files, folders and URLs ad hoc.
Both write an ingest_runs row with counts and one ingest_errors row per failure.

Retries, one layer per request: listing a source and robots.txt are retried by the Fetcher
(HTTP-aware: Retry-After, one child sitemap at a time); each document fetch is a Prefect task
that Prefect retries on transient faults (timeouts, 5xx, 429), with the Fetcher's own retries
off. Bad documents are never retried: they are recorded and the run goes on.

Concurrency: fetch tasks run on a thread pool (network I/O; the shared Fetcher keeps per-host
limits), parsing runs in worker processes (CPU-bound; see flows/parsing.py), and loading is
sequential on the one writer connection, one transaction per document. With a Dask cluster
(LOKUS_DASK_ADDRESS, `lokus ingest --dask`), fetch tasks run on Dask workers instead, which also
parse and embed there; loading stays here, in the same order (see flows/cluster.py).

Prefect's result caching is not used: the warehouse is the cache. fetch_state keeps validators
so unchanged documents cost one conditional request (a stat for files), content hashes skip
re-reading identical bytes, and embeddings are cached by chunk text.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.states import Failed as FailedState
from prefect.states import State
from prefect.tasks import exponential_backoff

from flows.cluster import (
    RemoteFetcher,
    WorkerParse,
    on_cluster,
    task_runner_for,
    with_cluster,
    workers_report_here,
)
from flows.discover import Discovery, DiscoveryError
from flows.discover import discover as discover_source
from flows.fetch import Fetcher
from flows.parsing import Parser
from flows.sources import Source, get_source, load_sources
from flows.steps import (
    AD_HOC,
    Failed,
    Known,
    Outcome,
    Processed,
    SourceInfo,
    Target,
    Unchanged,
    discover,
    failure_of,
    fetch_and_read,
)
from lokus.settings import get_settings
from warehouse.db import connect, transaction
from warehouse.fetch_state import (
    COLUMNS,
    FetchState,
    WithdrawRefused,
    apply_listing,
    put_state,
)
from warehouse.index_pending import clear_index_pending, index_needed, pending_since
from warehouse.load import known_sha256, load_many, mark_restored, mark_withdrawn, stored_sha256
from warehouse.publish import publish
from warehouse.runs import (
    COMPLETED,
    FAILED,
    INTERRUPTED,
    Failure,
    RunCounts,
    close_stale_runs,
    finish_run,
    record_failure,
    start_run,
)
from warehouse.writer import WarehouseBusy, open_writer

FILES_PER_TASK = 32  # known local files per fetch task: checking an unchanged file is a stat
NEW_FILES_PER_TASK = 2  # new local files per fetch task: each will be parsed
THREADS = 8  # fetch tasks at once (per-host limits still apply inside the Fetcher)
IN_FLIGHT = 16  # tasks submitted ahead of loading; bounds memory
LOAD_GROUP = 64  # documents loaded in one transaction at most (one commit: ~10 ms saved each)
RETRY_BACKOFF_S = 1.0  # Prefect retries of a transient fetch fault wait 1, 2, 4 ... s
SCHEDULED_LOCK_WAIT_S = 3600.0  # a scheduled run queues behind a running one for up to an hour


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
    source: str | None = None
    status: str = COMPLETED
    restored: int = 0
    interrupted_runs: list[str] = field(default_factory=list)  # stale runs this one closed
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase
    embedded_by_workers: int = 0  # of chunks_embedded, those embedded on cluster workers

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def loaded(self) -> int:
        return self.new + self.updated


# -- tasks ------------------------------------------------------------------------------------


def _is_transient(task, run, state) -> bool:
    """Retry only network-level faults, never a document that is simply bad."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - we only classify here
        return bool(getattr(exc, "transient", False))
    return False


@task(name="list-source", cache_policy=NO_CACHE)
def list_task(source: Source, fetcher: Fetcher) -> Discovery | DiscoveryError:
    """The source's documents now, or why it cannot be listed (the Fetcher retries transient
    HTTP faults itself)."""
    try:
        return discover_source(source, fetcher)
    except DiscoveryError as exc:
        return exc


@task(name="fetch-read", cache_policy=NO_CACHE, retry_condition_fn=_is_transient)
def fetch_read_task(
    targets: list[Target], known: list[Known], fetcher: Fetcher, parse: Callable,
    source: SourceInfo,
) -> list[Outcome]:
    """Fetch (conditionally) and read a few documents.

    A transient fetch fault raises, so Prefect retries the task; on the last attempt it is
    returned as a failure instead (recorded like any other, without a traceback in the log).
    """
    outcomes = []
    for target, k in zip(targets, known, strict=True):
        try:
            outcomes.append(fetch_and_read(target, k, fetcher=fetcher, parse=parse, source=source))
        except Exception as exc:
            attempt, last = _attempt()
            if not last:
                raise
            if attempt > 1:
                exc.args = (f"{exc} (after {attempt} attempts)",)
            outcomes.append(Failed(failure_of(target, exc, stage="fetch")))
    return outcomes


def _attempt() -> tuple[int, bool]:
    """(this attempt's number, whether Prefect will retry no more) for the running task."""
    ctx = TaskRunContext.get()
    if ctx is None:
        return 1, True
    return ctx.task_run.run_count, ctx.task_run.run_count > (ctx.task.retries or 0)


@task(name="index", cache_policy=NO_CACHE)
def index_task(db_path: str, model: str) -> tuple[int, float, float]:
    """Embed new chunks (cached by content) and rebuild the keyword index.

    Returns (texts embedded, seconds embedding, seconds building BM25).
    """
    from search.embedders import get_embedder
    from search.index import build_index

    conn = connect(db_path)
    try:
        seen = pending_since(conn)
        stats = build_index(conn, get_embedder(model), batch_size=get_settings().embed_batch_size)
        clear_index_pending(conn, seen)
    finally:
        conn.close()
    return stats.embedded, stats.embed_seconds, stats.fts_seconds


def store_vectors(conn, processed: Processed) -> int:
    """Store the vectors a worker made for the document's chunks (the index step then finds
    them cached), inside its load transaction; returns how many were not stored yet."""
    found = processed.vectors
    if found is None:
        return 0
    from search.index import store_embeddings

    return store_embeddings(conn, found.model, found.content_hashes, found.vectors, replace=False)


def store_facts(conn, processed: Processed) -> None:
    """Replace the document's facts, inside its load transaction."""
    if processed.facts is None:
        return
    from warehouse.facts import replace_facts

    replace_facts(conn, processed.document.document_id, processed.facts)


# -- flows ------------------------------------------------------------------------------------


@flow(name="ingest", validate_parameters=False,
      task_runner=task_runner_for(get_settings().dask_address, THREADS))
def ingest(
    paths_or_urls: list[str],
    db_path: str | None = None,
    model: str | None = None,
    source: str | None = None,
    show_progress: bool = False,
    lock_wait_s: float = 0.0,
) -> IngestSummary | State:
    """Ingest files, folders and URLs into the warehouse and refresh the search index.

    Raises WarehouseBusy when another ingest holds the database (after `lock_wait_s`).
    """
    targets, failures = discover(paths_or_urls)
    try:
        with _run(db_path, model, source, lock_wait_s) as run:
            run.counts.failures.extend(failures)
            _process(run, targets, SourceInfo(AD_HOC), show_progress)
            if not targets and failures:
                run.status = FAILED
    except WarehouseBusy as exc:  # a clear message, not a traceback; calling raises it
        return FailedState(message=str(exc), data=exc)
    return run.summary


@flow(name="ingest-source", flow_run_name="ingest-{source_name}", validate_parameters=False,
      task_runner=task_runner_for(get_settings().dask_address, THREADS))
def ingest_source(
    source_name: str,
    sources_file: str = "sources.yaml",
    db_path: str | None = None,
    model: str | None = None,
    lock_wait_s: float = 0.0,
    refetch: bool = False,
    show_progress: bool = False,
) -> IngestSummary | State:
    """Ingest one source of a sources file: only new and changed documents are read and loaded,
    documents the source no longer lists are marked withdrawn.

    When the source cannot be listed at all, the run is recorded as failed and the flow run
    ends Failed, its data the summary (see `run_source`). `refetch` ignores stored validators,
    so every document is downloaded and checked again.
    """
    source = get_source(load_sources(sources_file), source_name)
    try:
        with _run(db_path, model, source.name, lock_wait_s) as run:
            listing = _list(run, source)
            if listing is not None:
                _apply_listing(run, listing)
                info = SourceInfo(source.name, _source_metadata(source))
                _process(run, [Target(uri) for uri in listing.uris], info, show_progress, refetch)
    except WarehouseBusy as exc:
        return FailedState(message=str(exc), data=exc)
    if run.status == FAILED:
        reason = run.counts.failures[0].message if run.counts.failures else "unknown reason"
        return FailedState(message=f"source {source.name!r} failed: {reason}", data=run.summary)
    return run.summary


def run_source(
    source_name: str, sources_file: str, dask: str | None = None, **options: Any
) -> IngestSummary:
    """Run `ingest_source` for one source and return its summary, also when the source failed
    (status 'failed'); other errors (another ingest running, a bad sources file) raise.

    `dask` (a scheduler address or 'local:N') runs the per-document work on that cluster."""
    flow_ = with_cluster(ingest_source, dask, THREADS)
    state = flow_(source_name, sources_file, return_state=True, **options)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return result


def ingest_sources(
    sources_file: str,
    names: list[str] | None = None,
    **options: Any,
) -> list[IngestSummary]:
    """Run the named sources, or every enabled one, in turn; a failed source does not stop the
    others (its summary has status 'failed')."""
    sources = load_sources(sources_file)
    chosen = [get_source(sources, n) for n in names] if names else [s for s in sources if s.enabled]
    return [run_source(source.name, str(sources_file), **options) for source in chosen]


# -- one run ----------------------------------------------------------------------------------


@dataclass
class _Run:
    """The state of one run while it goes: connection, counts, fetcher and parser."""

    conn: Any
    run_id: str
    db_path: str
    model: str
    source: str | None
    fetcher: Fetcher
    parser: Parser
    logger: Any
    counts: RunCounts = field(default_factory=RunCounts)
    status: str = COMPLETED
    restored: list[str] = field(default_factory=list)
    outcome_of: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    summary: IngestSummary | None = None
    interrupted: list[str] = field(default_factory=list)
    embedded: int = 0
    worker_embedded: int = 0  # chunk texts embedded on cluster workers

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


@contextmanager
def _run(db_path: str | None, model: str | None, source: str | None, lock_wait_s: float):
    """Open the warehouse alone, record the run, then index, finish, publish and summarise.

    An exception inside marks the run failed (interrupted for Ctrl-C) before it propagates.
    """
    logger = get_run_logger()
    settings = get_settings()
    db_path = str(db_path or settings.db)
    model = model or settings.model
    started = time.perf_counter()
    with open_writer(db_path, wait_s=lock_wait_s, on_wait=logger.warning) as conn:
        interrupted = close_stale_runs(conn)
        for stale in interrupted:
            logger.warning("run %s had been interrupted (killed or crashed); marked so", stale)
        run_id = uuid.uuid4().hex[:12]
        start_run(conn, run_id, source)
        fetcher = Fetcher.from_settings(settings)
        parser = Parser(
            chunk_chars=settings.chunk_chars, chunk_overlap=settings.chunk_overlap,
            inline_first=settings.parse_inline_first,
        )
        run = _Run(conn, run_id, db_path, model, source, fetcher, parser, logger,
                   interrupted=interrupted)
        logger.info("run %s started (source %s)", run_id, source or "ad hoc")
        try:
            with fetcher, parser:
                yield run
            _index(run)
            _finish(run, started)
        except BaseException as exc:
            _abandon(run, exc)
            raise


def _abandon(run: _Run, exc: BaseException) -> None:
    """Record a run stopped by an unexpected error (or Ctrl-C) as failed, then let it go on up."""
    status = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else FAILED
    try:
        record_failure(run.conn, run.run_id, run.source, failure_of(Target(run.source or AD_HOC),
                                                                    exc, stage="run"))
        finish_run(run.conn, run.run_id, run.counts, status=status)
        run.conn.execute("CHECKPOINT")
        publish(run.db_path)
    except Exception:  # noqa: BLE001 - the original error matters more
        run.logger.exception("could not record the end of run %s", run.run_id)


def _finish(run: _Run, started: float) -> None:
    """Write the run's errors and counts, publish the warehouse and build the summary."""
    counts = run.counts
    for uri in run.restored:  # listed again: back in search, whatever its bytes did
        if run.outcome_of.get(uri) == "unchanged":
            counts.unchanged -= 1
            counts.updated += 1
    with transaction(run.conn):
        for failure in counts.failures:
            record_failure(run.conn, run.run_id, run.source, failure)
        duration = finish_run(run.conn, run.run_id, counts, status=run.status)
    with run.phase("publish"):
        run.conn.execute("CHECKPOINT")
        publish(run.db_path)
    run.seconds["total"] = time.perf_counter() - started
    run.summary = IngestSummary(
        run.run_id, run.db_path, counts.new, counts.updated, counts.unchanged, counts.withdrawn,
        counts.failures, run.embedded + run.worker_embedded, duration, run.source, run.status,
        len(run.restored), run.interrupted, dict(run.seconds), run.worker_embedded,
    )
    _log_summary(run.logger, run.summary)


def _log_summary(logger, summary: IngestSummary) -> None:
    line = (f"run {summary.run_id} ({summary.source or 'ad hoc'}): {summary.new} new, "
            f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.withdrawn} "
            f"withdrawn, {summary.failed} failed, {summary.chunks_embedded} chunks embedded "
            f"in {summary.duration_s:.1f} s")
    if summary.status != COMPLETED:
        logger.error("FAILED %s", line)
    elif summary.failures:
        logger.warning("%s — %d FAILURES, see `lokus errors --run %s`", line, summary.failed,
                       summary.run_id)
    else:
        logger.info(line)


def _list(run: _Run, source: Source) -> Discovery | None:
    """The source's listing; None (and the run marked failed) if it cannot be listed."""
    with run.phase("list"):
        listing = list_task(source, run.fetcher)
        if isinstance(listing, DiscoveryError):
            run.counts.failures.append(Failure(source.location or source.name, listing.stage,
                                               type(listing).__name__, str(listing)))
            run.status = FAILED
            run.logger.error("source %s cannot be listed: %s", source.name, listing)
            return None
    run.counts.failures.extend(listing.failures)
    run.logger.info("source %s lists %d documents%s", source.name, len(listing.uris),
                    "" if listing.complete else " (listing incomplete: nothing withdrawn)")
    return listing


def _apply_listing(run: _Run, listing: Discovery) -> None:
    """Withdraw documents the source stopped listing and restore ones it lists again."""
    if not listing.can_withdraw:
        return
    try:
        with transaction(run.conn):
            change = apply_listing(run.conn, listing.source.name, listing.uris)
            run.counts.withdrawn += mark_withdrawn(run.conn, change.withdrawn)
            mark_restored(run.conn, change.restored)
    except WithdrawRefused as exc:
        run.counts.failures.append(Failure(listing.source.location or listing.source.name,
                                           "withdraw", type(exc).__name__, str(exc)))
        return
    run.restored = change.restored
    if change.withdrawn:
        run.logger.info("withdrawn (no longer listed): %s", ", ".join(change.withdrawn))
    if change.restored:
        run.logger.info("listed again: %s", ", ".join(change.restored))


def _source_metadata(source: Source) -> dict[str, str]:
    found = {"source": source.name, "owner": source.owner, "region": source.region}
    return {key: value for key, value in found.items() if value}


def _index(run: _Run) -> None:
    """Embed and re-index when documents changed (now, or in a run that did not finish)."""
    if not index_needed(run.conn):
        return
    run.logger.info("indexing: embedding new chunks, rebuilding the keyword index")
    with run.phase("index"):
        try:
            run.embedded, embed_s, fts_s = index_task(run.db_path, run.model)
        except Exception as exc:  # noqa: BLE001 - documents are loaded; the next run retries
            run.counts.failures.append(failure_of(Target(run.db_path), exc, stage="index"))
            run.logger.error("search index not updated (the next run tries again): %s", exc)
            return
    run.seconds.update({"embed": embed_s, "keyword index": fts_s})


# -- fetching, reading and loading --------------------------------------------------------------


def _process(
    run: _Run, targets: list[Target], source: SourceInfo, show_progress: bool,
    refetch: bool = False,
) -> None:
    """Fetch and read the targets on the task runner; load the results in order as they come."""
    if not targets:
        return
    with run.phase("plan"):
        known = _known(run.conn, [t.uri for t in targets], refetch)
        _warm_robots(run.fetcher, targets)
    # Listing and robots.txt were retried by the Fetcher; from here Prefect retries each fetch.
    run.fetcher.retries = 0
    settings = get_settings()
    fetcher, parse = _workers(run, settings)
    fetch_read = fetch_read_task.with_options(
        retries=settings.http_retries, retry_delay_seconds=exponential_backoff(RETRY_BACKOFF_S),
        retry_jitter_factor=0.5,
    )
    progress = _Progress(run, len(targets))
    pending: deque = deque()
    with (
        run.phase("fetch, read and load"), _progress(show_progress, len(targets)) as advance,
        workers_report_here() if on_cluster() else nullcontext(),
    ):
        progress.advance = advance
        for batch in _batches(targets, known):
            pending.append((batch, fetch_read.submit(
                batch, [known[t.uri] for t in batch], fetcher, parse, source)))
            while len(pending) >= IN_FLIGHT:
                _collect(run, _take_ready(pending), known, progress)
        while pending:
            _collect(run, _take_ready(pending), known, progress)


def _workers(run: _Run, settings: Any) -> tuple[Any, Callable]:
    """The fetcher and parse function tasks get: the run's own on the thread pool; on a cluster,
    their settings (workers build their own) and parsing plus embedding in the worker."""
    if not on_cluster():
        return run.fetcher, run.parser.parse
    from search.index import index_info

    info = index_info(run.conn)
    # Another model's index: workers embed nothing and the index step reports the mismatch.
    model = run.model if info is None or info.model == run.model else None
    parse = WorkerParse(settings.chunk_chars, settings.chunk_overlap, model)
    return RemoteFetcher.of(run.fetcher), parse


def _batches(targets: list[Target], known: dict[str, Known]) -> list[list[Target]]:
    """Work per task: known local files in large groups (usually a stat each), new ones in
    small groups (they will be parsed: results flow to loading sooner), each URL alone (a
    retry repeats one request)."""
    seen = [t for t in targets if not t.is_url and known[t.uri].state is not None]
    new = [t for t in targets if not t.is_url and known[t.uri].state is None]
    groups = [seen[i:i + FILES_PER_TASK] for i in range(0, len(seen), FILES_PER_TASK)]
    groups += [new[i:i + NEW_FILES_PER_TASK] for i in range(0, len(new), NEW_FILES_PER_TASK)]
    return groups + [[t] for t in targets if t.is_url]


def _known(conn, uris: list[str], refetch: bool) -> dict[str, Known]:
    """What the warehouse knows about each URI, in three queries for the whole run."""
    rows = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM fetch_state WHERE uri IN (SELECT unnest(?::VARCHAR[]))",
        [uris],
    ).fetchall()
    states = {row[0]: FetchState(*row) for row in rows}
    documents = known_sha256(conn)
    stored = stored_sha256(conn)
    known = {}
    for uri in uris:
        state = None if refetch else states.get(uri)
        content = state.content_sha256 if state else None
        known[uri] = Known(state, documents.get(uri), content is not None and content in stored)
    return known


def _warm_robots(fetcher: Fetcher, targets: list[Target]) -> None:
    """Fetch robots.txt of every host now, with the Fetcher's retries (once per host)."""
    seen = set()
    for target in targets:
        if target.is_url:
            parts = urlsplit(target.uri)
            origin = (parts.scheme, parts.netloc)
            if origin not in seen:
                seen.add(origin)
                fetcher.allowed(target.uri)


def _take_ready(pending: deque) -> list[tuple[list[Target], Any]]:
    """The oldest task once done, with the ones after it that are done too (loaded together)."""
    batch, future = pending.popleft()
    future.wait()
    taken, n = [(batch, future)], len(batch)
    while pending and n < LOAD_GROUP and _done(pending[0][1]):
        taken.append(pending.popleft())
        n += len(taken[-1][0])
    return taken


def _done(future) -> bool:
    wrapped = getattr(future, "wrapped_future", None)
    return bool(wrapped is not None and wrapped.done())


@dataclass
class _Progress:
    """Counts documents handled and logs a line every ~5 % of them."""

    run: _Run
    total: int
    done: int = 0
    advance: Callable[[str], None] = lambda _label: None

    def __call__(self, target: Target) -> None:
        self.done += 1
        self.advance(Path(target.uri).name)
        if self.done % max(1, self.total // 20) == 0 or self.done == self.total:
            c = self.run.counts
            self.run.logger.info("%d/%d documents: %d new, %d updated, %d unchanged, %d failed",
                                 self.done, self.total, c.new, c.updated, c.unchanged, c.failed)


def _collect(run: _Run, group: list, known: dict[str, Known], progress: _Progress) -> None:
    """Load what a few finished tasks read, in one transaction; never raises for a document."""
    outcomes: list[tuple[Target, Outcome]] = []
    for batch, future in group:
        try:
            outcomes += zip(batch, future.result(), strict=True)
        except Exception as exc:  # noqa: BLE001 - a task that failed as a whole
            outcomes += [(t, Failed(failure_of(t, exc, stage="fetch"))) for t in batch]
    to_load = [(target, o) for target, o in outcomes if isinstance(o, Processed)]
    written: set[str] = set()  # URIs whose fetch state went in with their document
    vectors: dict[str, int] = {}  # URI: vectors made on a worker and stored with its document
    results = dict(zip(
        [target.uri for target, _ in to_load],
        load_many(run.conn, [(o.document, o.chunks, _after_load(o, written, vectors))
                             for _, o in to_load]),
        strict=True,
    ))
    run.worker_embedded += sum(n for uri, n in vectors.items() if not isinstance(results[uri], Exception))
    states, touched = [], []
    for target, outcome in outcomes:
        run.outcome_of[target.uri] = _count(run, target, outcome, results.get(target.uri))
        progress(target)
        state = outcome.state
        load_failed = isinstance(results.get(target.uri), Exception)
        if state is None or target.uri in written or load_failed:
            continue  # nothing to store, stored already, or a load failure (fetch again next run)
        if _only_checked(state, known[target.uri].state):
            touched.append(target.uri)
        else:
            states.append(state)
    if states or touched:
        with transaction(run.conn):
            for state in states:
                put_state(run.conn, state)
            if touched:
                run.conn.execute(
                    "UPDATE fetch_state SET last_status = 304, last_fetched_at = ? "
                    "WHERE uri IN (SELECT unnest(?::VARCHAR[]))", [datetime.now(), touched])


def _after_load(outcome: Processed, written: set[str], vectors: dict[str, int]) -> Callable:
    """Inside the document's transaction: store its facts, vectors and fetch state."""

    def after_load(conn, _doc) -> None:
        store_facts(conn, outcome)
        vectors[outcome.target.uri] = store_vectors(conn, outcome)
        if outcome.state is not None:
            put_state(conn, outcome.state)
            written.add(outcome.target.uri)

    return after_load


def _only_checked(state: FetchState, previous: FetchState | None) -> bool:
    """True when a 304 changed nothing but when it was checked (one UPDATE for all of those)."""
    return previous is not None and state.last_status == 304 and previous.withdrawn_at is None and (
        replace(state, last_fetched_at=None, last_status=None)
        == replace(previous, last_fetched_at=None, last_status=None)
    )


def _count(run: _Run, target: Target, outcome: Outcome, loaded) -> str:
    """Count one document's outcome; returns its name (new, updated, unchanged, failed)."""
    counts = run.counts
    if isinstance(outcome, Unchanged):
        counts.unchanged += 1
        return "unchanged"
    if isinstance(outcome, Failed):
        counts.failures.append(outcome.failure)
        run.logger.warning("failed %s: %s", target.uri, outcome.failure.message)
        return "failed"
    if isinstance(loaded, Exception):
        counts.failures.append(failure_of(target, loaded, stage="load"))
        run.logger.warning("failed to load %s: %s", target.uri, loaded)
        return "failed"
    if loaded.duplicate_of:
        run.logger.info("%s has the same content as document %s", target.uri, loaded.duplicate_of)
    if loaded.outcome == "new":
        counts.new += 1
    elif loaded.outcome == "updated":
        counts.updated += 1
    else:
        counts.unchanged += 1
    return loaded.outcome


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
