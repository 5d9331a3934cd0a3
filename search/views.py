"""What the `lokus search / sites / similar / compare` commands print (rich), and their database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table
from rich.text import Text

from search.query import SearchResult
from search.sites import SiteResult


@contextmanager
def published(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published copy of the warehouse."""
    from warehouse.db import connect
    from warehouse.publish import reading_path

    conn = connect(reading_path(db_path), read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def highlighted(snippet: str, spans: list[tuple[int, int]]) -> Text:
    text = Text(snippet)
    for start, end in spans:
        text.stylize("bold yellow", start, end)
    return text


def print_results(console: Console, results: list[SearchResult]) -> None:
    if not results:
        console.print("No results.")
    for r in results:
        where = " · ".join(
            p for p in (r.host_region, r.province, ", ".join(r.host_units[:3]), r.program, r.date) if p
        )
        console.print(f"[bold]{r.rank}.[/] [cyan]{r.title or '(untitled)'}[/]", highlight=False)
        if where:
            console.print(f"   [green]{where}[/]", highlight=False)
        console.print(f"   [dim]score {r.score:.4f} · page {r.page} · {r.source_uri}[/]", highlight=False)
        console.print(Text("   ") + highlighted(r.snippet, r.highlights))
        console.print()


def print_sites(console: Console, sites: list[SiteResult]) -> None:
    if not sites:
        console.print("No host region matches this topic.")
    for s in sites:
        console.print(
            f"[bold]{s.rank}. {s.region}[/] "
            f"[dim]({s.region_code}, {s.province or '?'}) score {s.score:.3f}[/]",
            highlight=False,
        )
        if s.units:
            console.print(f"   units: {', '.join(s.units)}", highlight=False)
        for e in s.evidence:
            source = f"{e.title or e.document_id} · {e.source_uri}"
            console.print(f"   - {e.reason}  [dim]{source}[/]", highlight=False)
        console.print()


def _lines(items: list[str], limit: int = 8) -> str:
    shown = items[:limit] + ([f"… {len(items) - limit} more"] if len(items) > limit else [])
    return "\n".join(shown) if shown else "—"


def compare_table(profiles: list[dict]) -> Table:
    """Sites side by side: practices, awards, metrics, visits received, units."""
    table = Table("", *(f"{p['region']}\n{p['site_id']} · {p['province'] or ''}" for p in profiles),
                  show_lines=True, title="Sites compared", title_justify="left")
    rows = {
        "visits received": lambda p: _lines([
            " ".join(str(x) for x in (v["program"] or "visit", v["cohort"] and f"angk. {v['cohort']}",
                                      v["year"] or v["date"], v["participant_count"] and
                                      f"({v['participant_count']} peserta)") if x)
            for v in p["visits"]]),
        "practices": lambda p: _lines([x["name"] for x in p["practices"]]),
        "awards": lambda p: _lines(
            [" ".join(str(x) for x in (a["award"], a["year"]) if x) for a in p["awards"]]
        ),
        "metrics": lambda p: _lines([f"{m['indicator']}: {m['value_text']}" for m in p["metrics"]]),
        "units visited": lambda p: _lines([u["name"] for u in p["units"]]),
        "topics": lambda p: _lines([t["topic"] for t in p["topics"]]),
        "documents": lambda p: str(len(p["documents"])),
    }
    for label, cell in rows.items():
        table.add_row(label, *(cell(p) for p in profiles))
    return table


def resolve_region(conn: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str] | None:
    """(code, name) of a region named by code or name ("35.10", "Banyuwangi", "Kota Semarang"),
    preferring regions the documents are about."""
    value = text.strip()
    rows = conn.execute(
        """
        SELECT g.code, g.display_name,
               g.code IN (SELECT region_code FROM fact_sites UNION SELECT host_region_code FROM fact_visits)
        FROM region_gazetteer g
        WHERE g.code = ? OR lower(g.display_name) = lower(?) OR lower(g.name) = lower(?)
           OR lower(regexp_replace(g.display_name, '^(Kota|Kabupaten|Provinsi|Kecamatan)\\s+', '')) = lower(?)
        ORDER BY 3 DESC, g.code = ? DESC, length(g.code)
        LIMIT 1
        """,
        [value, value, value, value, value],
    ).fetchone()
    return (rows[0], rows[1]) if rows else None
