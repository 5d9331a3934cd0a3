"""Storing a document's facts and the region gazetteer in the warehouse.

`replace_facts` runs inside the caller's transaction (the loader's, per document): it deletes the
document's previous facts and inserts the new ones, so a replaced document never keeps old facts.
"""

from __future__ import annotations

import json
import weakref

import duckdb

from extract.facts.model import FactSet


def delete_facts(conn: duckdb.DuckDBPyConnection, document_id: str) -> None:
    """Remove every fact of a document (one look first: a new document has none to delete)."""
    holders = conn.execute(
        " UNION ALL ".join(
            f"SELECT '{t}' FROM (SELECT 1 FROM {t} WHERE document_id = $doc LIMIT 1)" for t in COLUMNS
        ),
        {"doc": document_id},
    ).fetchall()
    for (table,) in holders:
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])


_types_by_connection: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _column_types(conn: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The table's column types, read once per connection (the catalogue query cost as much as
    the insert itself: 40% of loading a document's facts, measured)."""
    cached = _types_by_connection.setdefault(conn, {})
    if table not in cached:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? AND table_catalog = current_database()",
            [table],
        ).fetchall()
        cached[table] = dict(rows)
    return cached[table]


def _insert(conn: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows in one statement, passed as one JSON document (binding a parameter per value is
    slow in DuckDB's Python client: thousands of rows took seconds)."""
    if not rows:
        return
    types = _column_types(conn, table)
    structure = json.dumps({c: types[c] for c in columns})
    data = json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=str, ensure_ascii=False)
    selected = ", ".join(f'r."{c}"' for c in columns)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {selected} FROM (SELECT unnest(from_json(?, ?)) AS r)",
        [data, f"[{structure}]"],
    )


EVIDENCE = ("page_no", "evidence", "confidence")
COLUMNS = {
    "fact_sites": ("document_id", "region", "region_code", "province", "year", *EVIDENCE),
    "fact_visits": (
        "visit_id", "document_id", "program", "programs", "cohort", "year", "year_source", "organiser",
        "host_region", "host_region_code", "host_province", "start_date", "end_date", "date_source",
        "participant_count", "origins_total", "origins_consistent", "reasons", *EVIDENCE,
    ),
    "fact_visit_groups": ("document_id", "visit_id", "group_no", "topic", "host_unit", *EVIDENCE),
    "fact_participant_origins": (
        "document_id", "visit_id", "origin", "region_code", "participants", *EVIDENCE,
    ),
    "fact_host_units": ("document_id", "name", "canonical", "surface", "region", "region_code", *EVIDENCE),
    "fact_awards": ("document_id", "award", "giver", "year", "recipient", *EVIDENCE),
    "fact_practices": (
        "practice_id", "document_id", "name", "expansion", "host_region", "host_unit", "summary", *EVIDENCE,
    ),
    "fact_people": ("document_id", "name", "role", *EVIDENCE),
    "fact_metrics": (
        "document_id", "subject", "indicator", "value", "value_text", "unit", "period", *EVIDENCE,
    ),
    "fact_dates": ("document_id", "start_date", "end_date", "date_source", "role", "surface", *EVIDENCE),
    "fact_errors": ("document_id", "message"),
}  # fmt: skip


def fact_rows(document_id: str, facts: FactSet) -> dict[str, list[tuple]]:
    """The rows of every fact table for one document."""
    d = document_id
    visit_ids = [f"{d}-v{i + 1}" for i in range(len(facts.visits))]
    visit_id = visit_ids[0] if visit_ids else None
    site = facts.site
    return {
        "fact_sites": [(d, site.region, site.code, site.province, facts.year, site.page, site.evidence,
                        site.confidence)] if site else [],
        "fact_visits": [
            (vid, d, v.program, list(v.programs), v.cohort, v.year, v.year_source, v.organiser, v.host_region,
             v.host_region_code, v.host_province, v.start_date, v.end_date, v.date_source,
             v.participant_count, v.origins_total, v.origins_consistent, list(v.reasons), v.page, v.evidence,
             v.confidence)
            for vid, v in zip(visit_ids, facts.visits, strict=True)
        ],
        "fact_visit_groups": [
            (d, visit_id, g.group_no, g.topic, g.host_unit, g.page, g.evidence, g.confidence)
            for g in facts.groups
        ] if visit_id else [],
        "fact_participant_origins": [
            (d, visit_id, o.origin, o.region_code, o.participants, o.page, o.evidence, o.confidence)
            for o in facts.origins
        ],
        "fact_host_units": [
            (d, u.name, u.canonical, u.surface, u.region, u.region_code, u.page, u.evidence, u.confidence)
            for u in facts.host_units
        ],
        "fact_awards": [
            (d, a.award, a.giver, a.year, a.recipient, a.page, a.evidence, a.confidence) for a in facts.awards
        ],
        "fact_practices": [
            (f"{d}-p{i + 1}", d, p.name, p.expansion, p.host_region, p.host_unit, p.summary, p.page,
             p.evidence, p.confidence)
            for i, p in enumerate(facts.practices)
        ],
        "fact_people": [(d, p.name, p.role, p.page, p.evidence, p.confidence) for p in facts.people],
        "fact_metrics": [
            (d, m.subject, m.indicator, m.value, m.value_text, m.unit, m.period, m.page, m.evidence,
             m.confidence)
            for m in facts.metrics
        ],
        "fact_dates": [
            (d, t.start, t.end, t.source, t.role, t.surface, t.page, t.evidence, t.confidence)
            for t in facts.dates
        ],
        "fact_errors": [(d, e) for e in facts.errors],
    }  # fmt: skip


def replace_facts(conn: duckdb.DuckDBPyConnection, document_id: str, facts: FactSet) -> None:
    """Replace the document's facts with `facts` (no transaction handling here: the caller's)."""
    delete_facts(conn, document_id)
    for table, rows in fact_rows(document_id, facts).items():
        _insert(conn, table, COLUMNS[table], rows)


def load_regions(conn: duckdb.DuckDBPyConnection) -> int:
    """Fill the region gazetteer from the packaged Kemendagri data; a no-op when it is already there.

    Returns the number of regions written (0 when nothing changed).
    """
    from extract.facts.regions import gazetteer

    regions = gazetteer().regions
    row = conn.execute("SELECT count(*) FROM region_gazetteer").fetchone()
    if row and row[0] == len(regions):
        return 0
    conn.execute("DELETE FROM region_gazetteer")
    _insert(
        conn,
        "region_gazetteer",
        ("code", "name", "display_name", "level", "province", "parent_code"),
        [(r.code, r.name, r.display, r.level, r.province, r.parent) for r in regions],
    )
    return len(regions)
