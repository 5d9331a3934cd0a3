"""More like this: documents comparable to a document or a practice."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from search.dense import dense_matrix
from search.embedders import Embedder
from search.errors import SearchError
from search.index import require_index
from search.query import DEFAULT_FUSION, FusionConfig, SearchResult, search


class NotFound(SearchError):
    """No document or practice matches the reference given."""


@dataclass(frozen=True)
class Reference:
    """What `similar` compares with: a document, or one practice in a document."""

    document_id: str
    label: str  # shown to the user: the title, or the practice's name
    text: str  # the keyword query built from it
    practice_id: str | None = None


def resolve_reference(conn: duckdb.DuckDBPyConnection, ref: str) -> Reference:
    """A document id (or its unique prefix), a practice id, or a practice's name (any case)."""
    ref = ref.strip()
    rows = conn.execute(
        "SELECT document_id, title FROM documents WHERE status = 'active' AND starts_with(document_id, ?)",
        [ref],
    ).fetchall() if ref else []
    if len(rows) == 1:
        doc, title = rows[0]
        facts = conn.execute(
            "SELECT string_agg(t, ' . ') FROM (SELECT name AS t FROM fact_practices WHERE document_id = ? "
            "UNION ALL SELECT topic FROM fact_visit_groups WHERE document_id = ? AND topic IS NOT NULL)",
            [doc, doc],
        ).fetchone()
        return Reference(doc, title or doc, " . ".join(t for t in (title, facts[0] if facts else None) if t))
    if len(rows) > 1:
        raise NotFound(f"{ref!r} starts {len(rows)} document ids; give more of the id")
    row = conn.execute(
        """
        SELECT p.practice_id, p.document_id, p.name, concat_ws(' . ', p.name, p.expansion, p.summary)
        FROM fact_practices p JOIN documents d USING (document_id)
        WHERE d.status = 'active' AND (p.practice_id = ? OR lower(p.name) = lower(?))
        ORDER BY p.practice_id = ? DESC, p.confidence DESC NULLS LAST, p.practice_id
        LIMIT 1
        """,
        [ref, ref, ref],
    ).fetchone()
    if row is None:
        raise NotFound(f"no document id or practice named {ref!r}; see `lokus search` or the practices view")
    practice_id, doc, name, text = row
    return Reference(doc, name, text, practice_id)


def similar(
    conn: duckdb.DuckDBPyConnection,
    ref: str,
    *,
    embedder: Embedder | None,
    top: int = 10,
    config: FusionConfig = DEFAULT_FUSION,
) -> tuple[Reference, list[SearchResult]]:
    """Documents other than the reference's, ranked by its words and its meaning.

    A document's meaning is the mean of its chunk vectors; a practice's is its text embedded
    as a query. Without an embedder the keywords alone rank.
    """
    reference = resolve_reference(conn, ref)
    vector = None
    if embedder is not None:
        vector = _document_vector(conn, reference.document_id) if reference.practice_id is None else None
        if vector is None:
            vector = embedder.embed_query(reference.text)
    mode = "hybrid" if vector is not None else "bm25"
    results = search(
        conn, reference.text, embedder=None, top=top, mode=mode, config=config,
        exclude=frozenset({reference.document_id}), query_vector=vector,
    )
    return reference, results


def _document_vector(conn: duckdb.DuckDBPyConnection, document_id: str) -> np.ndarray | None:
    matrix = dense_matrix(conn, require_index(conn))
    rows = [i for i, d in enumerate(matrix.document_ids) if d == document_id]
    if not rows:
        return None
    mean = matrix.matrix[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None
