"""The `lokus` command: thin wrappers over flows/, search/ and warehouse/."""

from __future__ import annotations

import csv
import io
import json
import logging
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
    """Prefect logs only warnings unless asked for; never telemetry (offline).

    Without PREFECT_API_URL, Prefect runs a temporary server inside this process and stops it
    when the command ends, sometimes while its event recorder is still writing: the tracebacks
    that prints concern only that throw-away server (the run itself is in `lokus runs`), so they
    are shown only with -v.
    """
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        if not os.environ.get("PREFECT_API_URL"):
            os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
            logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
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
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask", metavar="ADDRESS",
            help="Read, extract and embed on Dask: a scheduler (tcp://host:8786) or local:N "
            "(N local workers). Default: $LOKUS_DASK_ADDRESS, else this machine only.",
        ),
    ] = None,
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

    address = dask or get_settings().dask_address
    if address:
        from flows.cluster import check_address

        try:
            check_address(address)
        except ValueError as exc:
            origin = "--dask" if dask else "LOKUS_DASK_ADDRESS"
            raise fail(f"{origin}: {exc}") from exc
    if (dask or get_settings().dask_address) and not verbose:
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # read when dask is imported

    try:
        if paths:
            from flows.cluster import with_cluster
            from flows.ingest import THREADS
            from flows.ingest import ingest as ingest_flow

            summaries = [with_cluster(ingest_flow, dask, THREADS)(
                list(paths), db_path=str(db_path(db)), model=model,
                show_progress=sys.stderr.isatty(), lock_wait_s=wait,
            )]
        else:
            from flows.ingest import ingest_sources

            summaries = ingest_sources(
                str(sources), source, db_path=str(db_path(db)), model=model, lock_wait_s=wait,
                refetch=refetch, show_progress=sys.stderr.isatty(), dask=dask,
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
            typer.echo(problem, err=True)  # one line each, never wrapped: file:line: field: reason
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


RegionOption = Annotated[str | None, typer.Option(help="Host region: name or code (35.10).")]
ProvinceOption = Annotated[str | None, typer.Option(help="Host province, e.g. 'Jawa Timur'.")]
ProgramOption = Annotated[str | None, typer.Option("--program", help="Programme: Diklatpim III, PKA …")]
YearOption = Annotated[str | None, typer.Option("--year", help="A year or range: 2018, 2015..2019.")]
DocTypeOption = Annotated[str | None, typer.Option("--type", help="Document type: pdf, html or text.")]
LanguageOption = Annotated[str | None, typer.Option("--language", help="Document language, e.g. id, en.")]


def search_filters(region, province, program, year, doc_type, language):
    """The SearchFilters the options describe (exits with a clear error on a bad --year)."""
    from search.filters import SearchFilters, parse_years

    try:
        year_from, year_to = parse_years(year)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    return SearchFilters(region, province, program, year_from, year_to, doc_type, language)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in Indonesian or English.")],
    top: TopOption = 10,
    region: RegionOption = None,
    province: ProvinceOption = None,
    program: ProgramOption = None,
    year: YearOption = None,
    doc_type: DocTypeOption = None,
    language: LanguageOption = None,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search the documents: keyword (BM25) and semantic results fused, one per document."""
    from search.query import SearchError, search_database
    from search.views import print_results

    filters = search_filters(region, province, program, year, doc_type, language)
    try:
        results = search_database(db_path(db), query, top=top, mode=mode, filters=filters)  # type: ignore[arg-type]
    except (WarehouseError, SearchError, ValueError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
        return
    print_results(console, results)


def _search_embedder(conn, model: str | None = None):
    """The embedder of the database's index (loaded once per process)."""
    from search.embedders import get_embedder
    from search.index import require_index

    return get_embedder(model or require_index(conn).model)


@app.command()
def sites(
    query: Annotated[str, typer.Argument(help="A topic or problem, in Indonesian or English.")],
    top: TopOption = 5,
    region: RegionOption = None,
    province: ProvinceOption = None,
    program: ProgramOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Host regions (and their units) best to visit for a topic, with the evidence for each."""
    from search.errors import SearchError
    from search.sites import rank_sites
    from search.views import print_sites, published

    filters = search_filters(region, province, program, year, None, None)
    try:
        with published(db_path(db)) as conn:
            found = rank_sites(conn, query, embedder=_search_embedder(conn), top=top, filters=filters)
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=2))
        return
    print_sites(console, found)


@app.command()
def similar(
    reference: Annotated[str, typer.Argument(help="A document id (or its start), a practice id or name.")],
    top: TopOption = 10,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """More like this: documents with practices comparable to a document or a practice."""
    from search.errors import SearchError
    from search.similar import similar as find_similar
    from search.views import print_results, published

    try:
        with published(db_path(db)) as conn:
            ref, results = find_similar(conn, reference, embedder=_search_embedder(conn), top=top)
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps({"reference": {"document_id": ref.document_id, "practice_id": ref.practice_id,
                                             "label": ref.label},
                               "results": [r.to_json() for r in results]}, ensure_ascii=False, indent=2))
        return
    console.print(f"Like [bold]{ref.label}[/] ({ref.document_id}):\n", highlight=False)
    print_results(console, results)


@app.command()
def compare(
    regions: Annotated[list[str], typer.Argument(help="Two or three regions: names or codes.")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Two or three sites side by side: practices, awards, metrics and visits received."""
    from lokus.web.sites import site_profile
    from search.views import compare_table, published, resolve_region

    if not 2 <= len(regions) <= 3:
        raise fail("give two or three regions")
    try:
        with published(db_path(db)) as conn:
            profiles = []
            for name in regions:
                found = resolve_region(conn, name)
                profile = site_profile(conn, found[0]) if found else None
                if profile is None:
                    raise fail(f"no site {name!r} in the documents; see `lokus sites` or the regions view")
                profiles.append(profile)
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(profiles, ensure_ascii=False, indent=2, default=str))
        return
    console.print(compare_table(profiles))


@app.command()
def reindex(
    model: Annotated[str | None, typer.Option(help="Embedding model (default: $LOKUS_MODEL).")] = None,
    re_embed: Annotated[
        bool, typer.Option("--re-embed", help="Embed every chunk again (e.g. the model's files changed).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Rebuild the search index, switching to another embedding model if one is given.

    Embeddings are cached by text and model, so switching back to a model used before is cheap.
    """
    from search.embedders import get_embedder
    from search.index import build_index
    from warehouse.db import connect
    from warehouse.publish import checkpoint_and_close, publish

    embedder = get_embedder(model or get_settings().model)
    try:
        conn = connect(db_path(db))
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    stats = build_index(conn, embedder, rebuild=True, re_embed=re_embed)
    checkpoint_and_close(conn)
    publish(db_path(db))
    console.print(f"index rebuilt with {stats.model}: {stats.chunks} chunks, "
                  f"{stats.embedded} embedded, {stats.cached} from the cache")


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


@eval_app.command("search")
def eval_search(
    queries: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="queries.json")],
    config: Annotated[
        list[str] | None, typer.Option("--config", help="Only these configurations (repeat).")
    ] = None,
    db: DbOption = None,
) -> None:
    """nDCG@10, Recall@10 and MRR per query and overall, for several search configurations."""
    from search.errors import SearchError
    from search.evaluate import CONFIGURATIONS, evaluate_configurations, format_report
    from search.views import published

    names = config or list(CONFIGURATIONS)
    unknown = [n for n in names if n not in CONFIGURATIONS]
    if unknown:
        raise fail(f"unknown configuration(s) {', '.join(unknown)}; use {', '.join(CONFIGURATIONS)}")
    try:
        with published(db_path(db)) as conn:
            report = evaluate_configurations(conn, queries, _search_embedder(conn), names)
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    typer.echo(format_report(report))


@eval_app.command("sites")
def eval_sites(
    questions: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="site questions JSON")],
    db: DbOption = None,
) -> None:
    """Recall of the expected regions in the top 5, nDCG@10 and MRR per question and overall."""
    from search.errors import SearchError
    from search.evaluate import evaluate_sites, format_report
    from search.views import published

    try:
        with published(db_path(db)) as conn:
            report = evaluate_sites(conn, questions, _search_embedder(conn))
    except (WarehouseError, SearchError) as exc:
        raise fail(str(exc)) from exc
    typer.echo(format_report(report, "Recall@5"))


if __name__ == "__main__":
    app()
