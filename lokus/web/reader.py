"""The web app's read-only view of the published warehouse, reopened after each publish.

Ingestion writes the working file and, when a run has committed, atomically replaces the
published copy (`warehouse.publish`). The app never opens the working file: it attaches the
published copy read-only to an in-memory DuckDB (a plain `duckdb.connect(path)` would hand back
the process's cached instance of the *old* file) and checks the file's identity (device, inode,
mtime, size) on every request. When it changed, the next request opens a new generation; the
old one is closed once its last request is done, so a request always sees one consistent copy.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError, load_extension
from warehouse.publish import published_path

CATALOG = "lokus"
FileKey = tuple[int, int, int, int]
MEMO_SIZE = 1024


class NotPublished(WarehouseError):
    """No published copy of the warehouse exists yet (no ingest run has finished)."""


def file_key(path: Path) -> FileKey | None:
    """The identity of a file's current version, or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass
class Generation:
    """One opened version of the published file, shared by the requests that started on it."""

    key: FileKey
    root: duckdb.DuckDBPyConnection
    pool_size: int
    users: int = 0
    retired: bool = False
    closed: bool = False
    created: int = 0
    idle: queue.LifoQueue = field(default_factory=queue.LifoQueue)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to this generation, reading the warehouse catalog by default."""
        cur = self.root.cursor()
        cur.execute(f"USE {CATALOG}")
        return cur

    def take_pooled(self, timeout_s: float) -> duckdb.DuckDBPyConnection:
        """A long-lived cursor (per-connection caches, e.g. the dense matrix, survive requests)."""
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            pass
        with self.lock:
            if self.created < self.pool_size:
                self.created += 1
                make = True
            else:
                make = False
        if make:
            return self.cursor()
        try:
            return self.idle.get(timeout=timeout_s)
        except queue.Empty as exc:
            raise WarehouseError("the server is busy; try again in a moment") from exc

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                break
        self.root.close()


class PublishedWarehouse:
    """Hands out read-only connections to the latest published copy of a warehouse."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        memory_limit: str = "2GB",
        temp_limit: str = "1GB",
        threads: int = 2,
        pool_size: int = 4,
        wait_s: float = 30.0,
    ) -> None:
        self.db_path = Path(db_path)
        self.path = published_path(self.db_path)
        self.memory_limit, self.temp_limit, self.threads = memory_limit, temp_limit, threads
        self.pool_size, self.wait_s = pool_size, wait_s
        self._temp_dir = Path(tempfile.mkdtemp(prefix="lokus-web-"))
        self._current: Generation | None = None
        self._lock = threading.Lock()
        self.opened = 0  # generations opened so far (tests and /api/status read it)
        self._local = threading.local()
        self._memo: OrderedDict[tuple, object] = OrderedDict()
        self._memo_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.path.exists()

    def _open(self, key: FileKey) -> Generation:
        root = duckdb.connect(
            ":memory:",
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "memory_limit": self.memory_limit,
                "threads": self.threads,
                "temp_directory": str(self._temp_dir),
                "max_temp_directory_size": self.temp_limit,
            },
        )
        try:
            for name in ("fts", "vss"):
                load_extension(root, name)
            quoted = str(self.path).replace("'", "''")
            root.execute(f"ATTACH '{quoted}' AS {CATALOG} (READ_ONLY)")
            root.execute(f"USE {CATALOG}")
            root.execute("DETACH memory")  # the only database left is the read-only warehouse
            root.execute("SET enable_external_access = false")
            root.execute("SET lock_configuration = true")
        except duckdb.Error as exc:
            root.close()
            raise WarehouseError(f"cannot open the published warehouse read-only: {exc}") from exc
        self.opened += 1
        return Generation(key, root, self.pool_size)

    def _acquire(self) -> Generation:
        """The current generation, reopened first if the published file changed; counts a user."""
        key = file_key(self.path)
        if key is None:
            if self._current is not None:
                key = self._current.key  # the file vanished: keep serving what we have
            else:
                raise NotPublished(
                    "no published warehouse yet: the first ingest run publishes one "
                    f"(`lokus ingest PATH --db {self.db_path}`)"
                )
        with self._lock:
            current = self._current
            if current is None or current.key != key:
                fresh = self._open(key)
                if current is not None:
                    self._retire(current)
                self._current = current = fresh
            with current.lock:
                current.users += 1
            return current

    def _retire(self, gen: Generation) -> None:
        with gen.lock:
            gen.retired = True
            done = gen.users == 0
        if done:
            gen.close()

    def _release(self, gen: Generation) -> None:
        with gen.lock:
            gen.users -= 1
            done = gen.retired and gen.users == 0
        if done:
            gen.close()

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A pooled connection for the app's own queries (search, pages, API)."""
        gen = self._acquire()
        try:
            cur = gen.take_pooled(self.wait_s)
        except BaseException:
            self._release(gen)
            raise
        self._local.key = gen.key
        try:
            yield cur
        finally:
            self._local.key = None
            gen.idle.put(cur)
            self._release(gen)

    def memo(self, name: tuple, compute: Callable[[], object]) -> object:
        """`compute()`, remembered for the copy being read (call inside `reader()`).

        Answers depend only on the published copy, so they stay valid until the next publish;
        entries of older copies are never hit again and age out of the bounded cache.
        """
        key = getattr(self._local, "key", None)
        if key is None:
            return compute()
        full = (key, *name)
        with self._memo_lock:
            if full in self._memo:
                self._memo.move_to_end(full)
                return self._memo[full]
        value = compute()
        with self._memo_lock:
            self._memo[full] = value
            if len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    @contextmanager
    def fresh(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own, closed afterwards (analysts' SQL: it may be interrupted)."""
        gen = self._acquire()
        try:
            cur = gen.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            self._release(gen)

    def generation_key(self) -> FileKey | None:
        """The identity of the copy being served now (None before the first request)."""
        return self._current.key if self._current else None

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._retire(self._current)
                self._current = None
        shutil.rmtree(self._temp_dir, ignore_errors=True)
