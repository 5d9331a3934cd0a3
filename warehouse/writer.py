"""One writer at a time: open the working database for an ingest run, or say who holds it.

DuckDB locks the file for the one process that writes it; a second process gets an IO error.
`open_writer` turns that into a clear `WarehouseBusy` message, after waiting if asked to. Runs
in the same process are kept apart by a lock of our own (DuckDB would let them both in).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError, connect

_in_process: set[str] = set()
_in_process_lock = threading.Lock()


class WarehouseBusy(WarehouseError):
    """Another ingest holds the database; the message says which process, and what to do."""


def holder_pid(message: str) -> int | None:
    """The PID DuckDB names in a lock conflict message, if any."""
    match = re.search(r"\(PID (\d+)\)", message)
    return int(match.group(1)) if match else None


def _is_lock_conflict(exc: WarehouseError) -> bool:
    cause = exc.__cause__
    return isinstance(cause, duckdb.IOException) and "lock" in str(cause).lower()


def _busy(path: Path, pid: int | None, waited: float) -> WarehouseBusy:
    who = f" (process {pid})" if pid else " (in this process)"
    after = f" after waiting {waited:.0f} s" if waited >= 1 else ""
    return WarehouseBusy(
        f"another ingest is running on {path}{who}{after}; wait for it to finish, or pass "
        "--wait SECONDS to queue behind it"
    )


@contextmanager
def open_writer(
    path: str | Path,
    *,
    wait_s: float = 0.0,
    poll_s: float = 0.5,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writable warehouse connection, held alone for the block; closed at the end.

    Waits up to `wait_s` seconds for another writer to finish (calling `on_wait` once with a
    message when it starts waiting), then raises WarehouseBusy.
    """
    path = Path(path).resolve()
    key = str(path)
    deadline = time.monotonic() + max(wait_s, 0.0)
    started = time.monotonic()
    while True:
        with _in_process_lock:
            mine = key not in _in_process
            if mine:
                _in_process.add(key)
        pid = None
        if mine:
            try:
                conn = connect(path)
                break
            except WarehouseError as exc:
                with _in_process_lock:
                    _in_process.discard(key)
                if not _is_lock_conflict(exc):
                    raise
                pid = holder_pid(str(exc.__cause__))
        if time.monotonic() >= deadline:
            raise _busy(path, pid, time.monotonic() - started)
        if on_wait is not None:
            on_wait(f"waiting up to {wait_s:.0f} s for another ingest on {path}"
                    + (f" (process {pid})" if pid else ""))
            on_wait = None
        time.sleep(min(poll_s, max(deadline - time.monotonic(), 0.01)))
    try:
        yield conn
    finally:
        try:
            conn.close()
        finally:
            with _in_process_lock:
                _in_process.discard(key)
