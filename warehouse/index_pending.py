"""Whether the search index is behind the documents: a marker written with every change.

Loading, replacing, withdrawing or restoring a document writes the marker in the same
transaction; a successful index build clears it. A run killed after loading but before (or
while) indexing leaves the marker, so the next run finishes the index even with nothing new.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

PENDING_KEY = "pending_since"  # a row of index_state; the value is when the first change came


def mark_index_pending(conn: duckdb.DuckDBPyConnection) -> None:
    """Note that documents changed since the last index build (keeps the earliest time)."""
    conn.execute(
        "INSERT INTO index_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        [PENDING_KEY, datetime.now().isoformat(timespec="seconds")],
    )


def pending_since(conn: duckdb.DuckDBPyConnection) -> str | None:
    """When the index fell behind, or None if it is up to date with the documents."""
    row = conn.execute("SELECT value FROM index_state WHERE key = ?", [PENDING_KEY]).fetchone()
    return row[0] if row else None


def keyword_index_exists(conn: duckdb.DuckDBPyConnection) -> bool:
    """True once the fts index over chunks has been built."""
    row = conn.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_chunks'"
    ).fetchone()
    return bool(row and row[0])


def index_needed(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when documents changed since the last build, or there is no keyword index yet."""
    return pending_since(conn) is not None or not keyword_index_exists(conn)


def clear_index_pending(conn: duckdb.DuckDBPyConnection, seen: str | None) -> None:
    """Clear the marker read before a build that has now succeeded."""
    if seen is not None:
        conn.execute("DELETE FROM index_state WHERE key = ? AND value = ?", [PENDING_KEY, seen])
