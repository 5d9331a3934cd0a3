"""One document as the web app shows it: details, text by page, tables and the facts found."""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from urllib.parse import urlparse

import duckdb

from lokus.web import facts

DOCUMENT_ID = re.compile(r"^[0-9a-f]{16}$")


def is_document_id(value: str) -> bool:
    return bool(DOCUMENT_ID.match(value))


def source_link(source_uri: str, canonical_url: str | None) -> dict:
    """Where the original lives: a web address to link to, or only a local file's name.

    A local path is never shown whole: it would tell visitors about the server's files.
    """
    for candidate in (canonical_url, source_uri):
        if candidate and urlparse(candidate).scheme in ("http", "https"):
            return {"url": candidate, "label": candidate, "local": False}
    return {"url": None, "label": PurePath(source_uri).name, "local": True}


def get_document(conn: duckdb.DuckDBPyConnection, document_id: str) -> dict | None:
    """Everything the document page shows, or None if there is no such document."""
    if not is_document_id(document_id):
        return None
    row = conn.execute(
        """
        SELECT document_id, source_uri, canonical_url, title, doc_type, published_date, language,
               byte_size, page_count, status, ingested_at
        FROM documents WHERE document_id = ?
        """,
        [document_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("document_id", "source_uri", "canonical_url", "title", "doc_type", "published_date",
            "language", "byte_size", "page_count", "status", "ingested_at")
    doc = dict(zip(keys, row, strict=True))
    doc["source"] = source_link(doc["source_uri"], doc["canonical_url"])
    doc["pages"] = [
        {"page": n, "text": text}
        for n, text in conn.execute(
            "SELECT page_no, text FROM pages WHERE document_id = ? ORDER BY page_no", [document_id]
        ).fetchall()
    ]
    doc["tables"] = [
        {"page": page, "table": n, "rows": json.loads(rows) if rows else []}
        for page, n, rows in conn.execute(
            "SELECT page_no, table_no, rows FROM tables WHERE document_id = ? ORDER BY page_no, table_no",
            [document_id],
        ).fetchall()
    ]
    doc["facts"] = facts.facts_of_document(conn, document_id)
    doc["details"] = facts.document_details(conn, [document_id]).get(document_id, {})
    return doc
