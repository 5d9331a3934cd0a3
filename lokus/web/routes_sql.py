"""The analysts' SQL workspace: a page and `/api/sql`, one read-only statement at a time.

Safety comes from three layers: `warehouse.sql.check_statement` (one SELECT, no server
information), a read-only attach of the published copy, and a connection whose configuration
is locked with external access off (no files, no network, no extensions to install).
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from lokus.web import export
from lokus.web.render import render
from warehouse.db import relations
from warehouse.sql import QueryRefused, QueryResult, run_query

router = APIRouter()
MAX_SQL_CHARS = 20_000
HIDDEN = {"schema_migrations", "search_stopwords"}
MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


class SqlRequest(BaseModel):
    """One read-only statement and the form of the answer."""

    sql: str = Field(
        ..., max_length=MAX_SQL_CHARS, examples=["SELECT doc_type, count(*) FROM documents GROUP BY 1"]
    )
    format: Literal["json", "csv", "parquet"] = "json"


class SqlAnswer(BaseModel):
    """Columns and rows of a query; `truncated` when rows were cut at the row cap."""

    columns: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool
    max_rows: int
    elapsed_ms: float


def execute(request: Request, sql: str) -> tuple[QueryResult, float]:
    """Run one statement with the app's row cap and time limit; QueryRefused says why not."""
    config = request.app.state.config
    if config.read_only:
        raise HTTPException(403, "the SQL workspace is turned off on this read-only server")
    slots = request.app.state.sql_slots
    if not slots.acquire(timeout=config.sql_timeout_s):
        raise HTTPException(503, "too many SQL queries are running; try again in a moment")
    try:
        started = time.perf_counter()
        with request.app.state.warehouse.fresh() as conn:
            result = run_query(conn, sql, max_rows=config.sql_max_rows, timeout_s=config.sql_timeout_s)
        return result, (time.perf_counter() - started) * 1000
    finally:
        slots.release()


def file_response(result: QueryResult, fmt: str) -> Response:
    body = export.to_csv(result) if fmt == "csv" else export.to_parquet(result)
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="lokus-query.{fmt}"'},
    )


@router.post(
    "/api/sql",
    response_model=SqlAnswer,
    tags=["sql"],
    responses={
        200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}},
        400: {"description": "The statement was refused or stopped; `detail` says why."},
        403: {"description": "The server runs in read-only mode."},
    },
)
def api_sql(request: Request, body: SqlRequest):
    """Run one read-only SELECT (row cap and time limit); JSON, or a CSV or Parquet download."""
    try:
        result, elapsed = execute(request, body.sql)
    except QueryRefused as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    if body.format != "json":
        return file_response(result, body.format)
    return SqlAnswer(
        columns=result.columns,
        rows=export.to_json_rows(result),
        row_count=len(result.rows),
        truncated=result.truncated,
        max_rows=request.app.state.config.sql_max_rows,
        elapsed_ms=round(elapsed, 1),
    )


def catalog(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """The views (analysts' first) and tables analysts can query, with their columns."""
    rows = conn.execute(
        """
        SELECT t.table_name, t.table_type,
               list(c.column_name || ' ' || c.data_type ORDER BY c.ordinal_position)
        FROM information_schema.tables t
        JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
        WHERE t.table_schema = 'main' AND t.table_catalog = current_database()
        GROUP BY t.table_name, t.table_type
        ORDER BY t.table_type = 'BASE TABLE', t.table_name
        """
    ).fetchall()
    return [
        {"name": name, "kind": "view" if kind == "VIEW" else "table", "columns": columns}
        for name, kind, columns in rows
        if name not in HIDDEN
    ]


def examples(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """A few statements to start from, using the views this warehouse has."""
    found = ["SELECT doc_type, count(*) AS documents FROM documents GROUP BY doc_type ORDER BY 2 DESC"]
    names = relations(conn)
    if "visits" in names:
        found.append("SELECT * FROM visits LIMIT 20")
    if "site_profiles" in names:
        found.append("SELECT * FROM site_profiles LIMIT 20")
    found.append("SELECT title, page_count FROM documents ORDER BY page_count DESC LIMIT 10")
    return found


def workspace(request: Request, sql: str, outcome: dict, status_code: int = 200) -> Response:
    config = request.app.state.config
    if config.read_only:
        return render(request, "sql.html", {"disabled": True, "sql": "", "catalog": [], "examples": []},
                      status_code=403)
    with request.app.state.warehouse.reader() as conn:
        listing, samples = catalog(conn), examples(conn)
    context = {
        "disabled": False, "sql": sql or samples[0], "catalog": listing, "examples": samples, **outcome,
    }
    return render(request, "sql.html", context, status_code=status_code)


@router.get("/sql", include_in_schema=False)
def sql_page(request: Request, sql: str = "") -> Response:
    return workspace(request, sql[:MAX_SQL_CHARS], {})


@router.post("/sql", include_in_schema=False)
def sql_form(
    request: Request,
    sql: Annotated[str, Form(max_length=MAX_SQL_CHARS)],
    format: Annotated[Literal["table", "csv", "parquet"], Form()] = "table",
) -> Response:
    try:
        result, elapsed = execute(request, sql)
    except QueryRefused as exc:
        return workspace(request, sql, {"error": str(exc)}, status_code=400)
    if format != "table":
        return file_response(result, format)
    table = {
        "columns": result.columns,
        "rows": [[export.cell_text(v) for v in row] for row in result.rows],
        "truncated": result.truncated,
        "elapsed_ms": round(elapsed, 1),
    }
    return workspace(request, sql, {"result": table})
