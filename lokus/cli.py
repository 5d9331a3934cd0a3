"""The `lokus` command: thin wrappers over flows/, search/ and warehouse/."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from lokus.settings import get_settings
from warehouse.db import WarehouseError

app = typer.Typer(help="Lokus: find, load and search benchmarking best practices.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None, typer.Option("--db", help="DuckDB file (default: $LOKUS_DB or data/lokus.duckdb).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TopOption = Annotated[int, typer.Option("--top", "-n", min=1, help="How many results.")]


def db_path(db: Path | None) -> Path:
    """The database chosen by --db, else the LOKUS_DB setting."""
    return db or get_settings().db


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or URLs.")],
    db: DbOption = None,
    model: Annotated[str | None, typer.Option(help="Embedding model (default: $LOKUS_MODEL).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Ingest documents through the Prefect `ingest` flow, then print a summary."""
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline: no telemetry
    from flows.ingest import ingest as ingest_flow

    try:
        summary = ingest_flow(
            list(paths), db_path=str(db_path(db)), model=model, show_progress=sys.stderr.isatty()
        )
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    print_summary(summary)


def print_summary(summary) -> None:
    """The run's counts, and one line per failure with its reason."""
    console.print(
        f"[bold]ingest run {summary.run_id}[/] into {summary.db_path}: "
        f"[green]{summary.new} new[/], [cyan]{summary.updated} updated[/], "
        f"{summary.unchanged} unchanged, [red]{summary.failed} failed[/]; "
        f"{summary.chunks_embedded} chunks embedded in {summary.duration_s:.1f} s"
    )
    if summary.loaded == 0 and summary.failed == 0:
        console.print("Nothing new to load: every document is already in the warehouse.")
    if summary.failures:
        table = Table("document", "stage", "error", "reason", title="Failures", title_style="bold red")
        for f in summary.failures:
            table.add_row(f.uri, f.stage, f.error_class, f.message)
        console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in Indonesian or English.")],
    top: TopOption = 10,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search the documents: keyword (BM25) and semantic results fused, one per document."""
    from search.query import SearchError, search_database

    try:
        results = search_database(db_path(db), query, top=top)
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        keys = ("rank", "score", "document_id", "source_uri", "title", "page", "snippet")
        typer.echo(json.dumps([{k: getattr(r, k) for k in keys} for r in results], ensure_ascii=False,
                              indent=2))
        return
    if not results:
        console.print("No results.")
    for r in results:
        console.print(f"[bold]{r.rank}.[/] [cyan]{r.title or '(untitled)'}[/]  "
                      f"[dim]score {r.score:.4f} · page {r.page} · {r.source_uri}[/]")
        console.print(f"   {r.snippet}\n", highlight=False)


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(help="One read-only SELECT statement.")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    max_rows: Annotated[int, typer.Option(help="Row cap.")] = 10_000,
    timeout: Annotated[float, typer.Option(help="Time limit in seconds.")] = 30.0,
    db: DbOption = None,
) -> None:
    """Run one read-only SQL statement against the warehouse (no writes, no file access)."""
    from warehouse.publish import reading_path
    from warehouse.sql import QueryRefused, open_readonly, run_query

    if fmt not in ("table", "csv", "json"):
        raise fail("--format must be table, csv or json")
    try:
        conn = open_readonly(reading_path(db_path(db)))
        result = run_query(conn, statement, max_rows=max_rows, timeout_s=timeout)
    except (WarehouseError, QueryRefused) as exc:
        raise fail(str(exc)) from exc
    if fmt == "json":
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
    if result.truncated:
        err_console.print(f"[yellow]only the first {max_rows} rows are shown[/]")


@app.command()
def doctor(db: DbOption = None) -> None:
    """Versions, database path and size, model, extensions and counts."""
    from lokus.doctor import diagnose

    for section, items in diagnose(db_path(db)).items():
        table = Table("item", "value", title=section, title_justify="left", show_header=False)
        for key, value in items.items():
            table.add_row(key, str(value))
        console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    read_only: Annotated[bool, typer.Option("--read-only", help="Reading only: no SQL workspace.")] = False,
    db: DbOption = None,
) -> None:
    """Serve the web app and JSON API over the published warehouse (follows each ingest run)."""
    from lokus.web.server import serve as serve_web

    serve_web(db_path(db), host=host, port=port, read_only=read_only)


eval_app = typer.Typer(help="Measure extraction and search against hand-labelled data.")
app.add_typer(eval_app, name="eval")


@eval_app.command("extraction")
def eval_extraction(
    annotations: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="annotations.json")],
    docs: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Folder of the documents.")],
    mismatches: Annotated[bool, typer.Option(help="List every disagreement.")] = False,
) -> None:
    """Per-field precision, recall and F1 of fact extraction against hand annotations."""
    from extract.evaluate import evaluate_extraction, format_report

    report = evaluate_extraction(annotations, docs)
    typer.echo(format_report(report, show_mismatches=mismatches))


if __name__ == "__main__":
    app()
