"""How `lokus ingest`, `lokus runs` and `lokus errors` print: run summaries and run history."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from warehouse.runs import ErrorRecord, RunRecord

STATUS_STYLE = {"completed": "green", "failed": "bold red", "interrupted": "bold red",
                "running": "yellow"}


def print_summary(console: Console, summary) -> None:
    """One run's counts; its failures, loudly, with their reasons."""
    source = f" ({summary.source})" if getattr(summary, "source", None) else ""
    console.print(
        f"[bold]ingest run {summary.run_id}[/]{source} into {summary.db_path}: "
        f"[green]{summary.new} new[/], [cyan]{summary.updated} updated[/], "
        f"{summary.unchanged} unchanged, {summary.withdrawn} withdrawn, "
        f"[red]{summary.failed} failed[/]; "
        f"{summary.chunks_embedded} chunks embedded in {summary.duration_s:.1f} s"
    )
    for stale in getattr(summary, "interrupted_runs", []):
        console.print(f"[yellow]run {stale} had been interrupted (killed or crashed); this run "
                      "finished its work[/]")
    if getattr(summary, "status", "completed") != "completed":
        reason = summary.failures[0].message if summary.failures else "see `lokus errors`"
        console.print(f"[bold red]RUN FAILED:[/] {reason}")
        return
    if summary.loaded == 0 and summary.failed == 0 and summary.withdrawn == 0:
        console.print("Nothing new to load: every document is already in the warehouse.")
    if summary.failures:
        table = Table("document", "stage", "error", "reason", title="Failures", title_style="bold red")
        for f in summary.failures:
            table.add_row(f.uri, f.stage, f.error_class, f.message)
        console.print(table)
        console.print(
            f"[bold red]{summary.failed} document(s) FAILED[/] in run {summary.run_id}; the run "
            f"went on and loaded the rest. Details: lokus errors --run {summary.run_id}"
        )


def runs_table(runs: Sequence[RunRecord]) -> Table:
    """Recent runs, newest first: when, source, status, counts and duration."""
    table = Table("run", "source", "started", "status", "new", "updated", "unchanged",
                  "withdrawn", "failed", "seconds", title="Ingest runs (newest first)",
                  title_justify="left")
    for run in runs:
        style = STATUS_STYLE.get(run.status, "")
        failed = f"[red]{run.n_failed}[/]" if run.n_failed else "0"
        table.add_row(
            run.run_id, run.source or "(ad hoc)", f"{run.started_at:%Y-%m-%d %H:%M:%S}",
            f"[{style}]{run.status}[/]" if style else run.status,
            str(run.n_new), str(run.n_updated), str(run.n_unchanged), str(run.n_withdrawn), failed,
            "" if run.duration_s is None else f"{run.duration_s:.1f}",
        )
    return table


def errors_table(run: RunRecord, errors: Sequence[ErrorRecord]) -> Table:
    """One run's failures: document, stage, error class and reason."""
    title = (f"Errors of run {run.run_id} ({run.source or 'ad hoc'}, "
             f"{run.started_at:%Y-%m-%d %H:%M}, {run.status})")
    table = Table("document", "stage", "error", "reason", title=title, title_justify="left",
                  title_style="bold red" if errors else "")
    for error in errors:
        table.add_row(error.uri, error.stage, error.error_class, error.message)
    return table


def record_dict(record: RunRecord | ErrorRecord) -> dict:
    """A run or error row as JSON-ready values."""
    values = dict(record.__dict__)
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            values[key] = value.isoformat(timespec="seconds")
    return values
