"""Where and when a document is from, read from its facts: host region, units, programme, date."""

from __future__ import annotations

import duckdb

SEP = "\x1f"


def document_details(conn: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, dict]:
    """Per document: host_region, region_code, province, host_units, program, date, doc_type, language.

    The host is the first visit's host region when the document reports a visit, else the region
    it is about; the date is the visit's start date, else the publication date, else a fact's year.
    """
    if not document_ids:
        return {}
    ids = [SEP.join(document_ids)]
    out: dict[str, dict] = {}
    for doc, doc_type, language, published in conn.execute(
        "SELECT document_id, doc_type, language, published_date FROM documents "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))",
        ids,
    ).fetchall():
        out[doc] = {
            "host_region": None, "region_code": None, "province": None, "host_units": [],
            "program": None, "date": published.isoformat() if published else None,
            "doc_type": doc_type, "language": language,
        }  # fmt: skip
    for doc, region, code, province, program, start, year in conn.execute(
        """
        SELECT document_id, host_region, host_region_code, host_province, program, start_date, year
        FROM fact_visits WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))
        ORDER BY host_region IS NOT NULL, visit_id DESC
        """,
        ids,
    ).fetchall():
        if doc in out:
            if region is not None:
                out[doc].update(host_region=region, region_code=code, province=province)
            out[doc]["program"] = program or out[doc]["program"]
            if start or out[doc]["date"] is None:
                out[doc]["date"] = start.isoformat() if start else (str(year) if year else None)
    for doc, region, code, province, year in conn.execute(
        """
        SELECT document_id, region, region_code, province, year FROM fact_sites
        WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))
        ORDER BY confidence ASC NULLS FIRST
        """,
        ids,
    ).fetchall():
        detail = out.get(doc)
        if detail is None:
            continue
        if detail["host_region"] is None:
            detail.update(host_region=region, region_code=code, province=province)
        if detail["date"] is None and year:
            detail["date"] = str(year)
    for doc, names in conn.execute(
        "SELECT document_id, list(DISTINCT name ORDER BY name) FROM fact_host_units "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31)))) GROUP BY document_id",
        ids,
    ).fetchall():
        if doc in out:
            out[doc]["host_units"] = list(names)[:6]
    return out
