"""Opening the warehouse: one DuckDB file, migrations applied on open, extensions loaded offline."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

MIGRATIONS_PACKAGE = "warehouse.migrations"


class WarehouseError(Exception):
    """The warehouse could not be opened or used; the message says why."""


def migrations() -> list[tuple[int, str, str]]:
    """The schema migrations shipped with Lokus, as (version, name, sql), in order."""
    found = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied_versions(conn: duckdb.DuckDBPyConnection) -> set[int]:
    """The migration versions already applied to this database."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations").fetchall()}


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to this database (0 for a new one)."""
    return max(applied_versions(conn), default=0)


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet applied (in version order), each in its own transaction.

    Any missing version is applied, not only newer ones: migrations written on parallel
    branches may land out of order.
    """
    done = applied_versions(conn)
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    if applied:
        seed_reference_data(conn)
    return applied


def relations(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the warehouse's main schema."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    return {r[0] for r in rows}


def seed_reference_data(conn: duckdb.DuckDBPyConnection) -> None:
    """Fill reference tables that ship with Lokus (the region gazetteer); idempotent."""
    from warehouse.facts import load_regions

    load_regions(conn)


def extension_path(name: str) -> Path:
    """The signed extension binary shipped in the `duckdb-extension-NAME` package."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    root = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    path = root / f"{name}.duckdb_extension"
    if not path.exists():
        raise WarehouseError(
            f"DuckDB extension {name!r} for duckdb {duckdb.__version__} not found at {path}; "
            f"install duckdb-extension-{name}=={duckdb.__version__}"
        )
    return path


def load_extension(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    """Install (from the local package file, never the network) and load a DuckDB extension."""
    try:
        conn.execute(f"LOAD {name}")
        return
    except duckdb.Error:
        pass
    conn.execute(f"INSTALL '{extension_path(name)}'")
    conn.execute(f"LOAD {name}")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection creates the file and applies migrations."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no Lokus database at {path}; run `lokus ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only, config={"autoinstall_known_extensions": False})
    except duckdb.IOException as exc:
        raise WarehouseError(f"cannot open {path}: {exc}") from exc
    if not read_only:
        migrate(conn)
    return conn


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction: all of it is committed, or none of it."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
