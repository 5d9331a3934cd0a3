"""One value per DuckDB connection, kept until its key (e.g. the index generation) changes.

Searching reads the keyword index, the vectors and the dense index once per connection and index
build; these caches hold them. Entries go with their connection (weak references).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import duckdb

T = TypeVar("T")


class PerConnection(Generic[T]):
    """A cache of one value per connection, rebuilt by `load` when the key differs."""

    def __init__(self) -> None:
        self._entries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, conn: duckdb.DuckDBPyConnection, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value for `conn` if it was made for `key`, else `load()` (then cached).
        Loading happens under the lock, so concurrent searches never load the same value twice."""
        with self._lock:
            entry = self._entries.get(conn)
            if entry is None or entry[0] != key:
                entry = (key, load())
                self._entries[conn] = entry
            return entry[1]
