"""Host regions (sites): listing, profiles, comparison and the numbers behind the charts.

A site is a region (Kemendagri code, e.g. "35.10" Kabupaten Banyuwangi) that documents are about
(fact_sites) or that hosted a visit (fact_visits.host_region_code). Its profile is built from the
fact tables rather than the site_profiles view so that every item keeps its evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb

from lokus.web import facts

SITE_ID = re.compile(r"^\d{2}(\.\d{2}){0,3}$")
ACTIVE = "document_id IN (SELECT document_id FROM documents WHERE status = 'active')"
PLACES = f"""
    SELECT region_code AS code, region, province, document_id, year, FALSE AS is_visit
    FROM fact_sites WHERE {ACTIVE}
    UNION ALL
    SELECT host_region_code, host_region, host_province, document_id, year, TRUE
    FROM fact_visits WHERE host_region_code IS NOT NULL AND {ACTIVE}
"""


def is_site_id(value: str) -> bool:
    return bool(SITE_ID.match(value))


def list_sites(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every site with its visit and document counts and years, most visited first."""
    if not facts.has_facts(conn):
        return []
    rows = conn.execute(
        f"""
        SELECT code, mode(region), mode(province), count(*) FILTER (WHERE is_visit),
               count(DISTINCT document_id), list(DISTINCT year ORDER BY year) FILTER (WHERE year IS NOT NULL)
        FROM ({PLACES}) GROUP BY code
        ORDER BY 4 DESC, 5 DESC, 2
        """
    ).fetchall()
    return [
        {"site_id": code, "region": region, "province": province, "visits": visits,
         "documents": documents, "years": years or []}
        for code, region, province, visits, documents, years in rows
    ]  # fmt: skip


def site_profile(conn: duckdb.DuckDBPyConnection, site_id: str) -> dict | None:
    """One site's profile (every item with document_id, page and evidence), or None."""
    if not is_site_id(site_id) or not facts.has_facts(conn):
        return None
    head = conn.execute(
        f"SELECT mode(region), mode(province) FROM ({PLACES}) WHERE code = ?", [site_id]
    ).fetchone()
    if head is None or head[0] is None:
        return None
    docs_sql = (
        "f.document_id IN (SELECT document_id FROM fact_sites WHERE region_code = ? "
        "UNION SELECT document_id FROM fact_visits WHERE host_region_code = ?)"
    )
    about = [site_id, site_id]
    visits = facts.facts_where(conn, "f.host_region_code = ?", [site_id], ("visit",))
    visit_ids = [v["data"]["visit_id"] for v in visits]
    in_visits = "f.visit_id IN (SELECT unnest(string_split(?, chr(31))))"
    groups = sorted(
        facts.facts_where(conn, in_visits, [facts.packed(visit_ids)], ("group",)),
        key=lambda g: (g["data"]["visit_id"], g["data"]["group_no"] or 0),
    )
    origins = facts.facts_where(conn, in_visits, [facts.packed(visit_ids)], ("origin",))
    units = facts.facts_where(conn, docs_sql, about, ("unit",))
    awards = facts.facts_where(conn, docs_sql, about, ("award",))
    practices = facts.facts_where(conn, docs_sql, about, ("practice",))
    metrics = facts.facts_where(conn, docs_sql, about, ("metric",))
    people = facts.facts_where(conn, docs_sql, about, ("person",))
    documents = conn.execute(
        """
        SELECT document_id, title, doc_type, published_date FROM documents
        WHERE status = 'active' AND document_id IN (
            SELECT document_id FROM fact_sites WHERE region_code = ?
            UNION SELECT document_id FROM fact_visits WHERE host_region_code = ?)
        ORDER BY published_date DESC NULLS LAST, title
        """,
        about,
    ).fetchall()
    return {
        "site_id": site_id,
        "region": head[0],
        "province": head[1],
        "visits": [_visit(v) for v in sorted(visits, key=_visit_order)],
        "topics": [_item(g, topic=g["data"]["topic"], group_no=g["data"]["group_no"],
                         host_unit=g["data"]["host_unit"]) for g in groups if g["data"]["topic"]],
        "units": _counted(units, "name"),
        "awards": _distinct([_item(a, award=a["data"]["award"], giver=a["data"]["giver"],
                                   year=a["data"]["year"], recipient=a["data"]["recipient"]) for a in awards],
                            ("award", "year")),
        "practices": _distinct([_item(p, name=p["data"]["name"], expansion=p["data"]["expansion"],
                                      summary=p["data"]["summary"]) for p in practices], ("name",)),
        "metrics": [_item(m, indicator=m["data"]["indicator"], value=m["data"]["value"],
                          value_text=_metric_text(m["data"]), unit=m["data"]["unit"],
                          period=m["data"]["period"]) for m in metrics],
        "people": _distinct([_item(p, name=p["data"]["name"], role=p["data"]["role"]) for p in people],
                            ("name",)),
        "origins": _counted(origins, "origin"),
        "documents": [
            {"document_id": d, "title": t, "doc_type": k, "published_date": p.isoformat() if p else None}
            for d, t, k, p in documents
        ],
    }  # fmt: skip


def _item(fact: dict, **fields) -> dict:
    """A profile item: its fields plus where it came from."""
    return {**fields, "document_id": fact["document_id"], "page": fact["page"],
            "evidence": fact["evidence"], "anchor": fact["anchor"]}  # fmt: skip


def _metric_text(data: dict) -> str:
    value = data["value_text"] or facts.number_text(data["value"])
    return f"{value} {data['unit']}" if data["unit"] and data["unit"] != value else value


def _visit(fact: dict) -> dict:
    d = fact["data"]
    return _item(
        fact, visit_id=d["visit_id"], program=d["program"], cohort=d["cohort"], organiser=d["organiser"],
        year=d["year"], date=d["start_date"], participant_count=d["participant_count"],
    )


def _visit_order(fact: dict) -> tuple:
    d = fact["data"]
    return (d["year"] or 9999, d["start_date"] or "", d["visit_id"])


def _counted(found: list[dict], field: str) -> list[dict]:
    """One item per distinct value (first evidence kept), with how often it was found."""
    by_value: dict[str, dict] = {}
    counts: dict[str, int] = defaultdict(int)
    for fact in found:
        value = fact["data"][field]
        counts[value] += 1
        by_value.setdefault(value, _item(fact, **{field: value}))
    return sorted(
        ({**item, "count": counts[value]} for value, item in by_value.items()),
        key=lambda item: (-item["count"], str(item[field])),
    )


def _distinct(items: list[dict], key: tuple[str, ...]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        k = tuple(str(item[f]).lower() for f in key)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def chart_data(conn: duckdb.DuckDBPyConnection) -> dict:
    """Visits per year, visits per host region, and visit-group topics per year."""
    if not facts.has_facts(conn):
        return {"per_year": [], "per_region": [], "site_ids": {}, "topics": {}}
    per_year = conn.execute(
        f"SELECT year, count(*) FROM fact_visits WHERE year IS NOT NULL AND {ACTIVE} GROUP BY 1 ORDER BY 1"
    ).fetchall()
    regions = conn.execute(
        f"""SELECT host_region, count(*), any_value(host_region_code) FROM fact_visits
        WHERE host_region IS NOT NULL AND {ACTIVE} GROUP BY 1 ORDER BY 2 DESC, 1"""
    ).fetchall()
    topics: dict[str, dict[int, int]] = defaultdict(dict)
    for topic, year, n in conn.execute(
        f"""
        SELECT g.topic, v.year, count(*) FROM fact_visit_groups g JOIN fact_visits v USING (visit_id)
        WHERE g.topic IS NOT NULL AND v.year IS NOT NULL AND v.{ACTIVE} GROUP BY 1, 2
        """
    ).fetchall():
        topics[topic][year] = n
    return {
        "per_year": per_year,
        "per_region": [(region, n) for region, n, _ in regions],
        "site_ids": {region: code for region, _, code in regions if code},
        "topics": dict(topics),
    }
