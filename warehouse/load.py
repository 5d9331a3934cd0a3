"""Loading one document into the warehouse, in one transaction, idempotently."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb

from extract.model import Chunk, Document
from warehouse.db import transaction
from warehouse.index_pending import mark_index_pending

Outcome = Literal["new", "updated", "unchanged"]

# Called inside the document's transaction after its rows are written (e.g. to store its facts).
AfterLoad = Callable[[duckdb.DuckDBPyConnection, Document], None]


@dataclass(frozen=True)
class LoadResult:
    """What loading one document did."""

    outcome: Outcome
    document_id: str
    replaced_document_id: str | None = None
    duplicate_of: str | None = None


def per_document_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table with a document_id column except `documents`: rows owned by a document."""
    rows = conn.execute(
        """
        SELECT DISTINCT c.table_name
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.column_name = 'document_id' AND t.table_type = 'BASE TABLE'
          AND c.table_schema = 'main' AND c.table_name <> 'documents'
        ORDER BY 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def delete_document(conn: duckdb.DuckDBPyConnection, document_id: str) -> None:
    """Remove a document and every row that belongs to it (pages, tables, chunks, facts)."""
    for table in per_document_tables(conn):
        conn.execute(f'DELETE FROM "{table}" WHERE document_id = ?', [document_id])
    conn.execute("DELETE FROM documents WHERE document_id = ?", [document_id])


def known_sha256(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The content hash of the active document at each source_uri: lets a run skip unchanged files."""
    rows = conn.execute("SELECT source_uri, sha256 FROM documents WHERE status = 'active'").fetchall()
    return dict(rows)


def stored_sha256(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """The content hash of every stored document, active or withdrawn."""
    return {row[0] for row in conn.execute("SELECT sha256 FROM documents").fetchall()}


def find_existing(conn: duckdb.DuckDBPyConnection, doc: Document) -> tuple[str | None, str | None]:
    """(id of a document with the same content, id of the document now at the same source_uri)."""
    same_content = conn.execute(
        "SELECT document_id FROM documents WHERE document_id = ?", [doc.document_id]
    ).fetchone()
    same_uri = conn.execute(
        "SELECT document_id FROM documents WHERE source_uri = ?", [doc.source_uri]
    ).fetchone()
    return (same_content[0] if same_content else None, same_uri[0] if same_uri else None)


def insert_document(conn: duckdb.DuckDBPyConnection, doc: Document, chunks: list[Chunk]) -> None:
    """Write the document, its pages, tables and chunks (no transaction handling here)."""
    conn.execute(
        """
        INSERT INTO documents (document_id, source_uri, canonical_url, title, doc_type,
            published_date, language, sha256, byte_size, page_count, metadata)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            doc.document_id, doc.source_uri, doc.canonical_url, doc.title, doc.doc_type,
            doc.published_date, doc.language, doc.sha256, doc.byte_size, len(doc.pages),
            json.dumps(doc.metadata, ensure_ascii=False, default=str),
        ],
    )
    if doc.pages:
        conn.executemany(
            "INSERT INTO pages (document_id, page_no, text) VALUES (?, ?, ?)",
            [(doc.document_id, p.number, p.text) for p in doc.pages],
        )
    if doc.tables:
        conn.executemany(
            "INSERT INTO tables (document_id, page_no, table_no, n_rows, n_cols, rows) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (doc.document_id, t.page, t.index, len(t.rows),
                 max((len(r) for r in t.rows), default=0), json.dumps(t.rows, ensure_ascii=False))
                for t in doc.tables
            ],
        )
    if chunks:
        conn.executemany(
            "INSERT INTO chunks (chunk_id, document_id, page_no, ordinal, text, char_start, "
            "char_end, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (c.chunk_id, c.document_id, c.page, c.ordinal, c.text, c.char_start, c.char_end,
                 c.content_hash)
                for c in chunks
            ],
        )


def load_document(
    conn: duckdb.DuckDBPyConnection,
    doc: Document,
    chunks: list[Chunk],
    after_load: AfterLoad | None = None,
) -> LoadResult:
    """Load a document in one transaction.

    The same content is never loaded twice; new content at a known source_uri replaces the
    previous version whole (its pages, chunks and facts go with it). When the new content is
    already stored under another URI, the previous version at this URI is removed and the
    result names the document it duplicates.
    """
    with transaction(conn):
        return load_in_transaction(conn, doc, chunks, after_load)


def load_in_transaction(
    conn: duckdb.DuckDBPyConnection,
    doc: Document,
    chunks: list[Chunk],
    after_load: AfterLoad | None = None,
) -> LoadResult:
    """What `load_document` does, inside the caller's transaction."""
    same_content, same_uri = find_existing(conn, doc)
    if same_content is not None and same_uri in (None, same_content):
        if same_uri == same_content:
            reactivated = conn.execute(
                "UPDATE documents SET status = 'active' WHERE document_id = ? "
                "AND status <> 'active' RETURNING document_id",
                [same_content],
            ).fetchall()
            if reactivated:
                mark_index_pending(conn)
        return LoadResult(
            "unchanged", doc.document_id,
            duplicate_of=same_content if same_uri != same_content else None,
        )
    if same_uri is not None:
        delete_document(conn, same_uri)
    if same_content is None:
        insert_document(conn, doc, chunks)
        if after_load is not None:
            after_load(conn, doc)
    mark_index_pending(conn)
    return LoadResult(
        "updated" if same_uri else "new", doc.document_id, replaced_document_id=same_uri,
        duplicate_of=same_content,
    )


LoadItem = tuple[Document, list[Chunk], AfterLoad | None]


def load_many(
    conn: duckdb.DuckDBPyConnection, items: Sequence[LoadItem]
) -> list[LoadResult | Exception]:
    """Load documents in one transaction: one commit for all of them.

    If one fails, that transaction is rolled back and each document is loaded in its own,
    so only the bad one fails; its exception takes its place in the results.
    """
    try:
        with transaction(conn):
            return [load_in_transaction(conn, *item) for item in items]
    except Exception as exc:  # noqa: BLE001 - reported per document below
        if len(items) == 1:
            return [exc]
    results: list[LoadResult | Exception] = []
    for item in items:
        try:
            results.append(load_document(conn, *item))
        except Exception as exc:  # noqa: BLE001
            results.append(exc)
    return results


def mark_withdrawn(conn: duckdb.DuckDBPyConnection, source_uris: list[str]) -> int:
    """Mark documents gone from their source as withdrawn (kept for history, hidden from search)."""
    return _set_status(conn, source_uris, "withdrawn")


def mark_restored(conn: duckdb.DuckDBPyConnection, source_uris: list[str]) -> int:
    """Make withdrawn documents active again: their source lists them once more."""
    return _set_status(conn, source_uris, "active")


def _set_status(conn: duckdb.DuckDBPyConnection, source_uris: list[str], status: str) -> int:
    """Set the status of the documents at these URIs; returns how many changed."""
    if not source_uris:
        return 0
    rows = conn.execute(
        "UPDATE documents SET status = ? WHERE status <> ? "
        "AND source_uri IN (SELECT unnest(?::VARCHAR[])) RETURNING document_id",
        [status, status, source_uris],
    ).fetchall()
    if rows:
        mark_index_pending(conn)
    return len(rows)
