"""Facts for the web app, read from the fact tables of warehouse/migrations/002_facts.sql.

Every fact keeps its document, page and evidence sentence, so each item on a page can link to
the place it came from. Only active documents count. On a warehouse without the fact tables
the functions have nothing to add, and search and documents still work.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from lokus.web.highlight import evidence_anchor
from warehouse.db import relations

FACT_TABLES = {
    "site": "fact_sites",
    "visit": "fact_visits",
    "group": "fact_visit_groups",
    "origin": "fact_participant_origins",
    "unit": "fact_host_units",
    "award": "fact_awards",
    "practice": "fact_practices",
    "person": "fact_people",
    "metric": "fact_metrics",
    "date": "fact_dates",
}
KINDS = tuple(FACT_TABLES)
SEP = "\x1f"


def packed(values: list[str]) -> str:
    """Strings as one SQL parameter, for `unnest(string_split(?, chr(31)))`.

    DuckDB's Python client binds a list parameter slowly (about 0.4 ms a value, mostly failed
    optional imports); one joined string costs nothing.
    """
    return SEP.join(values)


def has_facts(conn: duckdb.DuckDBPyConnection) -> bool:
    return "fact_sites" in relations(conn)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _join(*parts: object, sep: str = " · ") -> str:
    return sep.join(str(p) for p in parts if p not in (None, "", []))


def number_text(value: float | None) -> str:
    """A number the Indonesian way: 1.250 and 98,5."""
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:g}".replace(".", ",")


# How each kind reads in one line.
DESCRIBE: dict[str, Callable[[dict], str]] = {
    "site": lambda r: _join(r["region"], r["province"], sep=", "),
    "visit": lambda r: _join(
        _join(r["program"], f"angkatan {r['cohort']}" if r["cohort"] else None, sep=" "),
        r["organiser"],
        f"→ {r['host_region']}" if r["host_region"] else None,
        _iso(r["start_date"]) or r["year"],
        f"{r['participant_count']} peserta" if r["participant_count"] else None,
    ),
    "group": lambda r: _join(
        f"Kelompok {r['group_no']}" if r["group_no"] else None, r["topic"],
        f"({r['host_unit']})" if r["host_unit"] else None, sep=" ",
    ),
    "origin": lambda r: _join(r["origin"], f"({r['participants']})" if r["participants"] else None, sep=" "),
    "unit": lambda r: r["name"],
    "award": lambda r: _join(r["award"], r["giver"], r["year"], r["recipient"] and f"→ {r['recipient']}"),
    "practice": lambda r: _join(r["name"], f"({r['expansion']})" if r["expansion"] else None, sep=" "),
    "person": lambda r: _join(r["name"], r["role"], sep=" — "),
    "metric": lambda r: _join(
        f"{r['indicator']}:", r["value_text"] or number_text(r["value"]), r["unit"],
        f"({r['period']})" if r["period"] else None, sep=" ",
    ),
    "date": lambda r: _join(r["surface"], "→", _iso(r["start_date"]), f"({r['role']})", sep=" "),
}


def _rows(conn: duckdb.DuckDBPyConnection, table: str, where: str, params: list) -> list[dict]:
    cursor = conn.execute(
        f"SELECT f.* FROM {table} f JOIN documents d USING (document_id) "
        f"WHERE d.status = 'active' AND {where} ORDER BY f.document_id, f.page_no NULLS LAST",
        params,
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def as_fact(kind: str, row: dict) -> dict:
    """A fact row in the API's shape: kind, one-line value, provenance and the row's own fields."""
    data = {k: v for k, v in row.items() if k not in ("document_id", "page_no", "evidence", "confidence")}
    return {
        "kind": kind,
        "value": DESCRIBE[kind](row),
        "document_id": row["document_id"],
        "page": row["page_no"],
        "evidence": row["evidence"],
        "confidence": row["confidence"],
        "anchor": evidence_anchor(row["page_no"], row["evidence"]),
        "data": {k: _iso(v) if hasattr(v, "isoformat") else v for k, v in data.items()},
    }


def facts_where(
    conn: duckdb.DuckDBPyConnection,
    where: str,
    params: list,
    kinds: tuple[str, ...] = KINDS,
    limit: int = 5000,
) -> list[dict]:
    """Facts of the given kinds from rows matching `where` (on alias f), in kind order."""
    if not has_facts(conn):
        return []
    found: list[dict] = []
    for kind in kinds:
        for row in _rows(conn, FACT_TABLES[kind], where, params):
            found.append(as_fact(kind, row))
            if len(found) >= limit:
                return found
    return found


def facts_of_document(conn: duckdb.DuckDBPyConnection, document_id: str) -> list[dict]:
    """The document's facts, each with its page and evidence sentence."""
    return facts_where(conn, "f.document_id = ?", [document_id])


def list_facts(
    conn: duckdb.DuckDBPyConnection,
    *,
    document_id: str | None = None,
    kind: str | None = None,
    site_id: str | None = None,
    limit: int = 500,
) -> list[dict]:
    """Facts, each with document, page and evidence, filtered by document, kind or site."""
    kinds = (kind,) if kind in KINDS else (() if kind else KINDS)
    if not kinds:
        return []
    clauses, params = ["TRUE"], []
    if document_id:
        clauses.append("f.document_id = ?")
        params.append(document_id)
    if site_id:
        clauses.append(
            "f.document_id IN (SELECT document_id FROM fact_sites WHERE region_code = ? "
            "UNION SELECT document_id FROM fact_visits WHERE host_region_code = ?)"
        )
        params += [site_id, site_id]
    return facts_where(conn, " AND ".join(clauses), params, kinds, limit)


def document_details(conn: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, dict]:
    """Per document: type and dates, and (from its facts) host region, units, programme, visit date;
    the lists (host_regions, host_provinces, programs, years) are what the search filters test."""
    if not document_ids:
        return {}
    rows = conn.execute(
        "SELECT document_id, doc_type, published_date FROM documents "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))",
        [packed(document_ids)],
    ).fetchall()
    out: dict[str, dict] = {}
    for doc, doc_type, published in rows:
        out[doc] = {
            "doc_type": doc_type, "published_date": _iso(published),
            "host_region": None, "host_province": None, "host_site_id": None, "host_units": [],
            "program": None, "visit_date": None,
            "host_regions": [], "host_provinces": [], "programs": [],
            "years": [published.year] if published else [],
        }  # fmt: skip
    if not out or not has_facts(conn):
        return out
    ids = [packed(list(out))]
    for doc, region, code, province, year in conn.execute(
        "SELECT document_id, region, region_code, province, year FROM fact_sites "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31)))) ORDER BY confidence DESC NULLS LAST",
        ids,
    ).fetchall():
        _add_place(out[doc], region, code, province, year, prefer=False)
    visited: set[str] = set()
    for doc, region, code, province, year, program, start in conn.execute(
        "SELECT document_id, host_region, host_region_code, host_province, year, program, start_date "
        "FROM fact_visits WHERE document_id IN (SELECT unnest(string_split(?, chr(31)))) ORDER BY visit_id",
        ids,
    ).fetchall():
        detail = out[doc]
        _add_place(detail, region, code, province, year, prefer=doc not in visited)
        visited.add(doc)
        if program and program not in detail["programs"]:
            detail["programs"].append(program)
        detail["program"] = detail["program"] or program
        detail["visit_date"] = detail["visit_date"] or _iso(start) or (str(year) if year else None)
    for doc, names in conn.execute(
        "SELECT document_id, list(DISTINCT name ORDER BY name) FROM fact_host_units "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31)))) GROUP BY document_id",
        ids,
    ).fetchall():
        out[doc]["host_units"] = names[:6]
    return out


def _add_place(detail: dict, region, code, province, year, *, prefer: bool) -> None:
    """Record a place and year for the filters; `prefer` makes it the document's shown host."""
    if region and region not in detail["host_regions"]:
        detail["host_regions"].append(region)
    if province and province not in detail["host_provinces"]:
        detail["host_provinces"].append(province)
    if year and year not in detail["years"]:
        detail["years"].append(year)
    if region and (prefer or detail["host_region"] is None):
        detail.update(host_region=region, host_province=province, host_site_id=code)


def filter_options(conn: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """The values each search filter offers (from active documents and their facts)."""
    doc_types = [r[0] for r in conn.execute(
        "SELECT DISTINCT doc_type FROM documents WHERE status = 'active' ORDER BY 1"
    ).fetchall()]
    years = {r[0] for r in conn.execute(
        "SELECT DISTINCT year(published_date) FROM documents "
        "WHERE status = 'active' AND published_date IS NOT NULL"
    ).fetchall()}
    options = {"provinces": [], "regions": [], "programs": [], "years": [], "doc_types": doc_types}
    if has_facts(conn):
        active = "document_id IN (SELECT document_id FROM documents WHERE status = 'active')"
        places = conn.execute(
            f"SELECT region, province, year FROM fact_sites WHERE {active} "
            f"UNION SELECT host_region, host_province, year FROM fact_visits WHERE {active}"
        ).fetchall()
        options["regions"] = sorted({r for r, _, _ in places if r})
        options["provinces"] = sorted({p for _, p, _ in places if p})
        years |= {y for _, _, y in places if y}
        options["programs"] = [r[0] for r in conn.execute(
            f"SELECT DISTINCT program FROM fact_visits WHERE program IS NOT NULL AND {active} ORDER BY 1"
        ).fetchall()]
    options["years"] = sorted(years)
    return options
