"""Reading many files on every core with bounded memory.

Workers are separate processes (PDF parsing is CPU-bound Python). Memory stays bounded: a
worker gets a path, not the bytes; at most `in_flight` files are submitted ahead of the one
being returned; a worker is replaced after `max_tasks_per_child` files (pdfminer's caches and
the allocator's fragmentation do not pile up); and an optional address-space cap makes a
runaway file fail with MemoryError instead of taking the machine down.

A file that cannot be read gives a ReadError in its place, never an exception: a worker that
dies (killed, out of memory, a crash in a C library) fails only the file it was reading.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from extract.errors import ReadError
from extract.model import Document
from extract.read import read_path

Result = tuple[Path, Document | ReadError, float]  # path, document or error, seconds reading


class ReaderCrashed(ReadError):
    """The process reading this file died before returning (out of memory, a library crash)."""


PARENT_CHECK_S = 1.0


def default_workers() -> int:
    """One worker process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_pool(
    workers: int,
    *,
    max_tasks_per_child: int | None = 100,
    memory_limit_mb: int | None = None,
    parent_pid: int | None = None,
) -> ProcessPoolExecutor:
    """Worker processes for CPU-bound parsing, started with spawn (the caller may run threads,
    e.g. Prefect's or httpx's, which fork would copy mid-state). A worker is replaced after
    `max_tasks_per_child` tasks, may be capped to `memory_limit_mb` of address space, and exits
    by itself once `parent_pid` is gone (a SIGKILLed parent cleans up nothing)."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=max_tasks_per_child,
        initializer=_start_worker, initargs=(memory_limit_mb, parent_pid),
    )  # fmt: skip


def _start_worker(memory_limit_mb: int | None, parent_pid: int | None) -> None:
    _limit_memory(memory_limit_mb)
    if parent_pid is not None:
        watch_parent(parent_pid)


def watch_parent(parent_pid: int) -> None:
    """In a worker: exit as soon as the process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def read_one(path: str | Path, max_bytes: int | None = None) -> tuple[Document | ReadError, float]:
    """Read one file; a bad file (or a reader bug) comes back as a ReadError, not raised."""
    started = time.perf_counter()
    try:
        result: Document | ReadError = read_path(Path(path), max_bytes=max_bytes)
    except ReadError as exc:
        result = exc
    except MemoryError:
        result = ReadError("file needs more memory than the reader's limit allows")
    except Exception as exc:  # noqa: BLE001 - a reader bug fails only this file
        result = ReadError(f"reader failed unexpectedly: {type(exc).__name__}: {exc}")
    return result, time.perf_counter() - started


def _limit_memory(memory_limit_mb: int | None) -> None:
    """In a worker: cap its address space (MemoryError past it) when a limit is given."""
    if memory_limit_mb:
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_files(
    paths: Iterable[str | Path],
    *,
    workers: int | None = None,
    in_flight: int | None = None,
    max_tasks_per_child: int = 100,
    memory_limit_mb: int | None = None,
    max_bytes: int | None = None,
) -> Iterator[Result]:
    """(path, Document or ReadError, seconds) for each path, in input order.

    `workers` processes read in parallel (default: one per core; 1 reads in this process);
    `in_flight` bounds files submitted ahead (default 2 per worker).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        for path in paths:
            yield (Path(path), *read_one(path, max_bytes))
        return
    in_flight = in_flight or 2 * workers
    pool = _pool(workers, max_tasks_per_child, memory_limit_mb)
    pending: deque[tuple[Path, Future]] = deque()
    try:
        for path in paths:
            pending.append((Path(path), pool.submit(read_one, str(path), max_bytes)))
            while len(pending) >= in_flight:
                result, pool = _next(pending, pool, workers, max_tasks_per_child, memory_limit_mb, max_bytes)
                yield from result
        while pending:
            result, pool = _next(pending, pool, workers, max_tasks_per_child, memory_limit_mb, max_bytes)
            yield from result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int, max_tasks_per_child: int, memory_limit_mb: int | None) -> ProcessPoolExecutor:
    return process_pool(workers, max_tasks_per_child=max_tasks_per_child, memory_limit_mb=memory_limit_mb)


def _next(
    pending: deque[tuple[Path, Future]], pool: ProcessPoolExecutor, workers: int,
    max_tasks_per_child: int, memory_limit_mb: int | None, max_bytes: int | None,
) -> tuple[list[Result], ProcessPoolExecutor]:
    """The oldest result; after a worker died, every pending file is retried alone to find it."""
    path, future = pending[0]
    try:
        document, seconds = future.result()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        suspects = list(pending)
        pending.clear()
        results = [(p, *_isolated(p, memory_limit_mb, max_bytes)) for p, _ in suspects]
        return results, _pool(workers, max_tasks_per_child, memory_limit_mb)
    except Exception as exc:  # noqa: BLE001 - the task could not even start (e.g. out of memory)
        document, seconds = ReadError(f"reader process failed: {type(exc).__name__}: {exc}"), 0.0
    pending.popleft()
    return [(path, document, seconds)], pool


def _isolated(
    path: Path, memory_limit_mb: int | None, max_bytes: int | None
) -> tuple[Document | ReadError, float]:
    """Read one file in a fresh single-use process: the file that kills its reader fails alone."""
    with _pool(1, 1, memory_limit_mb) as single:
        try:
            return single.submit(read_one, str(path), max_bytes).result()
        except BrokenProcessPool:
            return ReaderCrashed("the reader process died on this file (out of memory, or a crash "
                                 "in the PDF/HTML library)"), 0.0  # fmt: skip
