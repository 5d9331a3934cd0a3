"""The `lokus` command: thin wrappers over flows/, search/ and warehouse/."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from contextlib import contextmanager
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


SourcesFileOption = Annotated[
    Path, typer.Option("--sources", help="The sources file (see sources.example.yaml).")
]


def quiet_prefect(verbose: bool) -> None:
    """Prefect logs only warnings unless asked for; never telemetry (offline)."""
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (recursive) or URLs, ad hoc.")
    ] = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="Ingest the sources of this file instead.")
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only this source of --sources (repeat for more)."),
    ] = None,
    wait: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for another ingest to finish.")
    ] = 0.0,
    refetch: Annotated[
        bool, typer.Option(help="Ignore stored ETags: download every document and check it.")
    ] = False,
    db: DbOption = None,
    model: Annotated[str | None, typer.Option(help="Embedding model (default: $LOKUS_MODEL).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Ingest paths or URLs ad hoc, or the sources of a file, then print a summary.

    Failed documents are listed and the command still exits 0; it exits 1 when a source
    cannot be reached at all, or another ingest holds the database (see --wait).
    """
    if bool(paths) == bool(sources):
        raise fail("give files, folders or URLs, or --sources FILE (not both)")
    if source and not sources:
        raise fail("--source needs --sources FILE")
    quiet_prefect(verbose)
    from flows.sources import SourcesError

    try:
        if paths:
            from flows.ingest import ingest as ingest_flow

            summaries = [ingest_flow(
                list(paths), db_path=str(db_path(db)), model=model,
                show_progress=sys.stderr.isatty(), lock_wait_s=wait,
            )]
        else:
            from flows.ingest import ingest_sources

            summaries = ingest_sources(
                str(sources), source, db_path=str(db_path(db)), model=model, lock_wait_s=wait,
                refetch=refetch, show_progress=sys.stderr.isatty(),
            )
    except (WarehouseError, SourcesError, KeyError) as exc:
        raise fail(str(exc).strip('"')) from exc
    for summary in summaries:
        print_summary(summary)
    failed = [s.source for s in summaries if s.status != "completed"]
    if failed:
        raise fail(f"source(s) failed: {', '.join(str(name) for name in failed)}")
    if not summaries:
        console.print("No enabled sources to ingest.")


def print_summary(summary) -> None:
    """The run's counts, and one line per failure with its reason."""
    from lokus.run_views import print_summary as show

    show(console, summary)


sources_app = typer.Typer(help="The sources file: where documents come from, and when.")
app.add_typer(sources_app, name="sources")


@sources_app.command("check")
def sources_check(
    file: Annotated[Path, typer.Argument(help="The sources file.")] = Path("sources.yaml"),
) -> None:
    """Validate a sources file; every problem is printed as file:line: field: reason."""
    from flows.sources import check_sources, load_sources

    problems = check_sources(file)
    if problems:
        for problem in problems:
            err_console.print(problem, highlight=False, markup=False)
        raise fail(f"{len(problems)} problem(s) in {file}")
    table = Table("name", "kind", "location", "schedule", "owner", title=f"{file}: OK",
                  title_justify="left")
    for s in load_sources(file):
        where = s.location or f"{len(s.urls)} URLs"
        when = (f"{s.schedule} ({s.timezone})" if s.schedule else "by hand") + (
            "" if s.enabled else ", disabled")
        table.add_row(s.name, s.kind, where, when, s.owner or "")
    console.print(table)


@app.command()
def schedule(
    sources: SourcesFileOption = Path("sources.yaml"),
    db: DbOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run every source on its cron schedule until stopped (Ctrl-C).

    One Prefect deployment per source, served by this process. With PREFECT_API_URL set to a
    running Prefect server (`prefect server start`), the Prefect UI shows them and runs any
    source by hand.
    """
    from flows.sources import SourcesError, load_sources

    quiet_prefect(verbose)
    try:
        load_sources(sources)
    except SourcesError as exc:
        raise fail(f"{sources} is invalid; run `lokus sources check {sources}`\n{exc}") from exc
    if not os.environ.get("PREFECT_API_URL"):
        err_console.print(
            "[yellow]PREFECT_API_URL is not set: Prefect starts a temporary server for this "
            "process (no UI after it stops). For the UI, run `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api.[/]"
        )
    from flows.schedule import serve_sources

    serve_sources(sources, db_path(db))


@app.command()
def runs(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="How many runs.")] = 20,
    source: Annotated[str | None, typer.Option(help="Only runs of this source.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Recent ingest runs, newest first: status, new / updated / unchanged / withdrawn / failed."""
    from lokus.run_views import record_dict, runs_table
    from warehouse.runs import recent_runs

    with _history(db) as conn:
        found = recent_runs(conn, last=last, source=source)
    if as_json:
        typer.echo(json.dumps([record_dict(r) for r in found], ensure_ascii=False, indent=2))
    elif not found:
        console.print("No ingest runs yet.")
    else:
        console.print(runs_table(found))


@app.command()
def errors(
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: the latest run).")] = None,
    source: Annotated[str | None, typer.Option(help="The latest run of this source.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The failures of one ingest run: document, stage, error class and reason."""
    from lokus.run_views import errors_table, record_dict
    from warehouse.runs import find_run, recent_runs, run_errors

    with _history(db) as conn:
        record = find_run(conn, run) if run else next(iter(recent_runs(conn, last=1, source=source)),
                                                      None)
        if record is None:
            raise fail(f"no run {run!r}; see `lokus runs`" if run else "no ingest runs yet")
        found = run_errors(conn, record.run_id)
    if as_json:
        typer.echo(json.dumps([record_dict(e) for e in found], ensure_ascii=False, indent=2))
        return
    console.print(errors_table(record, found))
    if not found:
        console.print(f"Run {record.run_id} recorded no errors.")


@contextmanager
def _history(db: Path | None):
    """A read-only connection to the published warehouse (where run history is read)."""
    from warehouse.publish import reading_path
    from warehouse.sql import open_readonly

    try:
        conn = open_readonly(reading_path(db_path(db)))
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    try:
        yield conn
    finally:
        conn.close()


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
