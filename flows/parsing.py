"""Parsing documents on both cores: `prepare` (PDF/HTML parsing, chunking, facts) is CPU-bound
Python, so threads share one core; a small pool of worker processes uses the others.

The pool starts only once a run has more than `inline_first` documents to parse, so a run that
finds one changed file does not pay the workers' start-up (~1 s). A worker that dies (out of
memory, a crash in a parser) fails only its document; the pool is started again. Workers exit
by themselves when the flow process is gone (killed with SIGKILL, nothing else cleans up).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from extract import parallel
from flows.steps import Processed, Target, prepare

MAX_TASKS_PER_CHILD = 100  # a worker is replaced after this many documents: its memory stays bounded


class ParserCrashed(RuntimeError):
    """The worker process parsing this document died before returning."""


def default_workers() -> int:
    """Worker processes to parse with: one per core, none on a single core."""
    n = parallel.default_workers()
    return 0 if n < 2 else n


class Parser:
    """Turns fetched bytes into a Processed document, in worker processes when that pays."""

    def __init__(
        self, *, chunk_chars: int, chunk_overlap: int, workers: int | None = None,
        inline_first: int = 32,
    ) -> None:
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.workers = default_workers() if workers is None else workers
        self.inline_first = inline_first
        self._calls = 0
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def parse(
        self, target: Target, data: bytes, content_type: str | None, source_uri: str | None = None
    ) -> Processed:
        """Read, chunk and extract facts; raises the reader's ReadError for a bad document."""
        pool = self._pool_for_call()
        args = (target, data, content_type)
        kwargs = {"chunk_chars": self.chunk_chars, "chunk_overlap": self.chunk_overlap,
                  "source_uri": source_uri}
        if pool is None:
            return prepare(*args, **kwargs)
        try:
            return pool.submit(prepare, *args, **kwargs).result()
        except BrokenProcessPool as exc:
            self._discard(pool)
            raise ParserCrashed(
                "the parser process died while reading this document (out of memory, or a "
                "crash in the PDF/HTML library)"
            ) from exc

    def _pool_for_call(self) -> ProcessPoolExecutor | None:
        with self._lock:
            self._calls += 1
            if self.workers < 1 or self._calls <= self.inline_first:
                return None
            if self._pool is None:
                self._pool = parallel.process_pool(
                    self.workers, max_tasks_per_child=MAX_TASKS_PER_CHILD, parent_pid=os.getpid()
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

