"""Publishing: readers never touch the file ingestion writes to.

DuckDB allows one writing process and, while it writes, no other process may open the file.
So each ingest run writes the working file, and when it has committed it publishes a copy
(written beside it, then renamed into place atomically). Search, SQL and the web app read the
latest published copy; a reader holding an older copy keeps a consistent view until it reopens.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError


def published_path(db_path: str | Path) -> Path:
    """Where the published copy of a working database lives."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".published" + db_path.suffix)


def publish(db_path: str | Path) -> Path:
    """Copy the (closed, checkpointed) working database to its published path atomically."""
    source = Path(db_path)
    target = published_path(source)
    staging = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, staging)
    os.replace(staging, target)
    return target


def checkpoint_and_close(conn: duckdb.DuckDBPyConnection) -> None:
    """Flush the write-ahead log into the file, then close: the file is complete on its own."""
    conn.execute("CHECKPOINT")
    conn.close()


def reading_path(db_path: str | Path) -> Path:
    """The file readers should open: the published copy, else the working file (never ingested)."""
    db_path = Path(db_path)
    published = published_path(db_path)
    if published.exists():
        return published
    if db_path.exists():
        return db_path
    raise WarehouseError(f"no Lokus database at {db_path}; run `lokus ingest` first")
