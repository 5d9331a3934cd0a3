"""Ingest's per-document work on a Dask cluster, through prefect-dask's DaskTaskRunner.

With a cluster, each fetch-read task runs on a Dask worker: it reads the file (or downloads
the URL), parses it, extracts facts and embeds its chunks there, and sends back the document
ready to load. Loading stays in the flow process, in submission order, on the one DuckDB
writer, so the warehouse comes out the same as a single-machine run.

Workers build their own Fetcher and embedder once per process (`RemoteFetcher`, `WorkerParse`
carry only settings). Workers need the same code and models installed as the flow process, and
must see the files being ingested at the same paths (a shared disk) or fetch them by URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.steps import ChunkVectors, Processed, Target, prepare

if TYPE_CHECKING:
    from prefect import Flow

    from flows.fetch import Fetcher, FetchResult

LOCAL = "local"  # 'local' or 'local:N': a LocalCluster of N worker processes on this machine
FETCHER_OPTIONS = (
    "timeout", "total_timeout", "max_bytes", "retries", "backoff_base", "backoff_max",
    "per_host_limit", "politeness_delay", "respect_robots", "user_agent", "max_redirects",
)  # fmt: skip


def task_runner_for(address: str | None, threads: int) -> TaskRunner:
    """The flow's task runner: a thread pool without an address, else a DaskTaskRunner.

    `address` is a scheduler address (tcp://host:8786) or 'local[:N]' for a LocalCluster of N
    single-threaded worker processes (default: one per core) started for the flow run (its
    dashboard on a free port, printed in the log).
    """
    if not address:
        return ThreadPoolTaskRunner(max_workers=threads)
    from prefect_dask import DaskTaskRunner

    if address == LOCAL or address.startswith(LOCAL + ":"):
        kwargs: dict[str, Any] = {
            "threads_per_worker": 1, "processes": True, "dashboard_address": ":0",
            "host": "127.0.0.1",
        }  # fmt: skip
        workers = local_workers(address)
        if workers is not None:
            kwargs["n_workers"] = workers
        return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=kwargs)
    return DaskTaskRunner(address=address)


def check_address(address: str) -> str:
    """The address if it can name a cluster ('local', 'local:N', 'tcp://host:port', ...)."""
    if address == LOCAL or address.startswith(LOCAL + ":"):
        local_workers(address)
    elif not address.strip() or " " in address:
        raise ValueError(f"bad Dask address {address!r}: use local:N or tcp://host:port")
    return address


def local_workers(address: str) -> int | None:
    """N of 'local:N' (None for plain 'local'); a ValueError says what is wrong."""
    _, _, count = address.partition(":")
    if not count:
        return None
    if not count.isdigit() or int(count) < 1:
        raise ValueError(f"bad Dask address {address!r}: use local:N with N >= 1, or tcp://host:port")
    return int(count)


def with_cluster(flow: Flow, address: str | None, threads: int) -> Flow:
    """The flow as is without an address, else a copy that runs its tasks on that Dask cluster."""
    if not address:
        return flow
    return flow.with_options(task_runner=task_runner_for(address, threads))


def on_cluster() -> bool:
    """True inside a flow run whose tasks run in other processes (not on the thread pool)."""
    ctx = FlowRunContext.get()
    return ctx is not None and not isinstance(ctx.task_runner, ThreadPoolTaskRunner)


@contextmanager
def workers_report_here() -> Iterator[None]:
    """Point Prefect on the workers at this process's API server while tasks are submitted.

    Without PREFECT_API_URL, the flow runs against a temporary server this process started on
    127.0.0.1; workers would otherwise each start their own (slowly, and with nowhere to record
    their task runs). Workers on other machines need a real server: PREFECT_API_URL.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = None
    if not PREFECT_API_URL.value():
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer._instances.get(None)
    if server is None or not server.running:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


# -- what workers receive -----------------------------------------------------------------------

_fetchers: dict[tuple, Fetcher] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class RemoteFetcher:
    """A Fetcher's settings, sent to workers; each worker process builds the Fetcher once.

    Per-host limits and delays then hold per worker process, not across the cluster.
    """

    options: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, fetcher: Fetcher) -> RemoteFetcher:
        return cls(tuple((name, getattr(fetcher, name)) for name in FETCHER_OPTIONS))

    def fetch(self, uri: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        return self._fetcher().fetch(uri, etag=etag, last_modified=last_modified)

    def _fetcher(self) -> Fetcher:
        from flows.fetch import Fetcher

        with _lock:
            if self.options not in _fetchers:
                _fetchers[self.options] = Fetcher(**dict(self.options))
            return _fetchers[self.options]


@dataclass(frozen=True)
class WorkerParse:
    """Parse in the worker's own process, then embed the chunks with `model` (None: leave them
    to the flow's index step)."""

    chunk_chars: int
    chunk_overlap: int
    model: str | None = None

    def __call__(
        self, target: Target, data: bytes, content_type: str | None, source_uri: str | None = None
    ) -> Processed:
        processed = prepare(
            target, data, content_type, chunk_chars=self.chunk_chars,
            chunk_overlap=self.chunk_overlap, source_uri=source_uri,
        )  # fmt: skip
        if self.model and processed.chunks:
            processed.vectors = embed_chunks(processed, self.model)
        return processed


_embed_lock = threading.Lock()


def embed_chunks(processed: Processed, model: str) -> ChunkVectors:
    """Vectors of the document's distinct chunk texts, by the model the index uses (the
    default model gives the same bits whatever texts share a batch)."""
    from search.embedders import get_embedder

    texts = {c.content_hash: c.text for c in processed.chunks}
    embedder = get_embedder(model)
    with _embed_lock:  # one embedding at a time per worker process, as in the index step
        vectors = embedder.embed_passages(list(texts.values()))
    return ChunkVectors(embedder.name, list(texts), vectors)
