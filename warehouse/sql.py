"""Read-only SQL for analysts: one SELECT, no file or network access, a row cap and a time limit."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
LOCKED_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


# Functions and tables that would show the server's paths, settings or environment, or run
# SQL from a string (and so escape this check). The catalog listings analysts need stay open.
PRIVATE_FUNCTIONS = {
    "current_setting", "getenv", "which_secret", "query", "query_table", "json_execute_serialized_sql",
}
PRIVATE_PREFIXES = ("duckdb_", "pragma_")
PUBLIC_CATALOG = {
    "duckdb_tables", "duckdb_views", "duckdb_columns", "duckdb_schemas", "duckdb_types",
    "duckdb_functions", "duckdb_keywords", "duckdb_constraints", "duckdb_indexes",
    "duckdb_sequences", "duckdb_dependencies", "pragma_table_info", "pragma_show",
    "pragma_version",
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_CALL_AFTER = re.compile(r'"?\s*\(')


class QueryRefused(Exception):
    """The statement is not allowed in the read-only workspace; the message says why."""


@dataclass
class QueryResult:
    """Columns and rows of a query, and whether rows were cut at the cap."""

    columns: list[str]
    rows: list[tuple]
    truncated: bool


def open_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot reach files, the network or its own settings."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(f"no Lokus database at {path}; run `lokus ingest` first")
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(LOCKED_CONFIG))
    except duckdb.IOException as exc:
        raise WarehouseError(f"cannot open {path} read-only: {exc}") from exc


def check_statement(sql: str) -> str:
    """The single statement in `sql` if it only reads; otherwise QueryRefused with the reason."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"SQL does not parse: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"give exactly one statement (got {len(statements)})")
    statement = statements[0]
    if statement.type not in ALLOWED:
        kind = statement.type.name.replace("_", " ")
        kind = "INSTALL/LOAD" if kind == "LOAD" else kind  # DuckDB parses INSTALL as a LOAD
        raise QueryRefused(f"read-only workspace: {kind} statements are refused; only SELECT runs")
    check_private(statement.query)
    return statement.query


def check_private(sql: str) -> None:
    """Refuse SQL naming a function that shows the server's files, settings or environment.

    A scan of every name in the text (quoted ones too) rather than of the parse tree: cruder,
    but quoting cannot dodge it and it covers every statement kind.
    """
    for match in _NAME.finditer(sql):
        word = match.group().lower()
        if word in PUBLIC_CATALOG:
            continue
        called = _CALL_AFTER.match(sql, match.end()) is not None
        if word.startswith(PRIVATE_PREFIXES) or (word in PRIVATE_FUNCTIONS and called):
            raise QueryRefused(
                f"{word} is not available here: it would show the server's files, settings or "
                "environment, or run SQL given as a string"
            )


def run_query(
    conn: duckdb.DuckDBPyConnection, sql: str, *, max_rows: int = 10_000, timeout_s: float = 30.0
) -> QueryResult:
    """Run one read-only statement, stopping it after `timeout_s` and keeping `max_rows` rows."""
    query = check_statement(sql)
    timer = threading.Timer(timeout_s, conn.interrupt)
    timer.start()
    try:
        cursor = conn.execute(query)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(max_rows + 1)
    except duckdb.InterruptException as exc:
        raise QueryRefused(f"query stopped after the {timeout_s:g} s time limit") from exc
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"file and network access are disabled here: {_first_line(exc)}") from exc
    except duckdb.Error as exc:
        raise QueryRefused(_first_line(exc)) from exc
    finally:
        timer.cancel()
    return QueryResult(columns, rows[:max_rows], truncated=len(rows) > max_rows)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
