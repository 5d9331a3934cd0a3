"""Searching the index: BM25, dense, or both fused; one result per document.

Never imports Prefect: the CLI's search path must start fast.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import duckdb

from search.dense import DENSE_BACKENDS, Hit
from search.embedders import Embedder, get_embedder
from search.errors import IndexMissing, SearchError
from search.fusion import best_per_document, ordered, rrf
from search.index import DOCUMENTS_TABLE, FTS_STEMMER, require_index
from search.snippet import make_snippet, query_words
from search.stopwords import indonesian_stopwords
from warehouse.db import connect, load_extension

__all__ = [
    "MODES",
    "FusionConfig",
    "SearchError",
    "SearchResult",
    "bm25_documents",
    "bm25_hits",
    "search",
    "search_database",
]

Mode = Literal["hybrid", "bm25", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "bm25", "dense")


@dataclass(frozen=True)
class SearchResult:
    """One matching document, shown by its best passage."""

    rank: int
    score: float
    document_id: str
    source_uri: str
    title: str | None
    page: int
    snippet: str
    chunk_id: str

    def to_json(self) -> dict:
        """The keys `lokus search --json` prints."""
        data = asdict(self)
        data.pop("chunk_id")
        return data


@dataclass(frozen=True)
class FusionConfig:
    """How search ranks and fuses (values chosen by measurement, see bench/bench_search.py)."""

    k: float = 60.0  # reciprocal rank fusion constant (the usual value; 10 measured the same)
    depth: int = 20  # candidates taken from each list (documents for BM25, chunks for dense)
    bm25_weight: float = 1.0
    # The small embedding models trail BM25 on Indonesian queries (dev nDCG@10: dense-e5 0.47,
    # BM25 0.63); dense still carries English and paraphrased queries that share no words.
    dense_weight: float = 0.3
    bm25_level: str = "document"  # rank documents by whole-document BM25, or by their best chunk
    bm25_k1: float = 0.9  # Anserini's defaults; lower k1 lets rare words count more than repeats
    bm25_b: float = 0.4
    dense_backend: str = "numpy"  # "numpy" (in-memory matrix) or "duckdb" (SQL)
    snippet_chars: int = 240


DEFAULT_FUSION = FusionConfig()


def search(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    embedder: Embedder | None,
    top: int = 10,
    mode: Mode = "hybrid",
    config: FusionConfig = DEFAULT_FUSION,
) -> list[SearchResult]:
    """The `top` documents best matching `query`, best first (only active documents).

    `embedder` must be the model the index was built with (it may be None for `bm25`).
    Each document is shown by its best chunk: the page it is on and a snippet of it.
    """
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    if mode != "bm25" and embedder is None:
        raise ValueError(f"search mode {mode!r} needs the index's embedder")
    info = require_index(conn, embedder.name if embedder is not None and mode != "bm25" else None)
    if not query.strip() or top <= 0:
        return []

    chunk_lists: dict[str, list[Hit]] = {}  # ranked chunks per method
    doc_lists: dict[str, list[tuple[str, float]]] = {}  # ranked documents per method
    if mode in ("bm25", "hybrid"):
        chunk_lists["bm25"] = bm25_hits(conn, query, 4 * config.depth, config.bm25_k1, config.bm25_b)
        if config.bm25_level == "document":
            doc_lists["bm25"] = bm25_documents(conn, query, config.depth, config.bm25_k1, config.bm25_b)
        else:
            doc_lists["bm25"] = best_per_document(chunk_lists["bm25"])[: config.depth]
    if mode in ("dense", "hybrid"):
        assert embedder is not None
        vector = embedder.embed_query(query)
        chunk_lists["dense"] = DENSE_BACKENDS[config.dense_backend](conn, info, vector, config.depth)
        doc_lists["dense"] = best_per_document(chunk_lists["dense"])

    if mode == "hybrid":
        weights = {"bm25": config.bm25_weight, "dense": config.dense_weight}
        doc_scores = rrf(
            {name: [doc for doc, _ in docs] for name, docs in doc_lists.items()}, k=config.k, weights=weights
        )
        chunk_scores = rrf(
            {name: [chunk for chunk, _, _ in hits] for name, hits in chunk_lists.items()},
            k=config.k,
            weights=weights,
        )
    else:
        (docs,) = doc_lists.values()
        doc_scores = dict(docs)
        chunk_scores = {chunk: score for hits in chunk_lists.values() for chunk, _, score in hits}

    chunk_doc = {chunk: doc for hits in chunk_lists.values() for chunk, doc, _ in hits}
    best_chunk: dict[str, str] = {}
    for chunk in ordered(chunk_scores):
        best_chunk.setdefault(chunk_doc[chunk], chunk)
    chosen = ordered(doc_scores)[:top]
    return _results(conn, query, [(doc_scores[d], d, best_chunk.get(d)) for d in chosen], config)


def search_database(
    db_path: str | Path, query: str, *, top: int = 10, mode: Mode = "hybrid", model: str | None = None
) -> list[SearchResult]:
    """Search the published copy of a warehouse (read-only) with the model its index was built with.

    Raises SearchError (no index, or `model` given and not the index's) or WarehouseError.
    """
    from warehouse.publish import reading_path

    conn = connect(reading_path(db_path), read_only=True)
    try:
        info = require_index(conn)
        embedder = None if mode == "bm25" else get_embedder(model or info.model)
        return search(conn, query, embedder=embedder, top=top, mode=mode)
    finally:
        conn.close()


def bm25_hits(
    conn: duckdb.DuckDBPyConnection, query: str, n: int, k1: float = 0.9, b: float = 0.4
) -> list[Hit]:
    """Top n chunks of active documents by BM25 (any query word may match), best first."""
    rows = _fts(
        conn,
        """
        SELECT c.chunk_id, c.document_id, s.score
        FROM (
            SELECT chunk_id, fts_main_chunks.match_bm25(chunk_id, ?, k := ?, b := ?) AS score
            FROM chunks
        ) s
        JOIN chunks c USING (chunk_id)
        JOIN documents d USING (document_id)
        WHERE s.score IS NOT NULL AND d.status = 'active'
        ORDER BY s.score DESC, c.chunk_id
        LIMIT ?
        """,
        [query, k1, b, n],
    )
    return [(c, d, float(s)) for c, d, s in rows]


def bm25_documents(
    conn: duckdb.DuckDBPyConnection, query: str, n: int, k1: float = 0.9, b: float = 0.4
) -> list[tuple[str, float]]:
    """Top n active documents by BM25 over their whole text and title, best first."""
    rows = _fts(
        conn,
        f"""
        SELECT s.document_id, s.score
        FROM (
            SELECT document_id,
                   fts_main_{DOCUMENTS_TABLE}.match_bm25(document_id, ?, k := ?, b := ?) AS score
            FROM {DOCUMENTS_TABLE}
        ) s
        JOIN documents d USING (document_id)
        WHERE s.score IS NOT NULL AND d.status = 'active'
        ORDER BY s.score DESC, s.document_id
        LIMIT ?
        """,
        [query, k1, b, n],
    )
    return [(d, float(s)) for d, s in rows]


def _fts(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    load_extension(conn, "fts")
    try:
        return conn.execute(sql, params).fetchall()
    except duckdb.CatalogException as exc:
        raise IndexMissing(
            "the database has no keyword index; run `lokus ingest` first (it builds the index)"
        ) from exc


def _results(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    scored: list[tuple[float, str, str | None]],
    config: FusionConfig,
) -> list[SearchResult]:
    """Results for (score, document, best chunk or None: then its first chunk), in order."""
    if not scored:
        return []
    rows = conn.execute(
        """
        SELECT c.chunk_id, c.document_id, d.source_uri, d.title, c.page_no, c.text, c.ordinal
        FROM chunks c JOIN documents d USING (document_id)
        WHERE d.status = 'active'
          AND (c.chunk_id IN (SELECT unnest(?::VARCHAR[]))
               OR c.document_id IN (SELECT unnest(?::VARCHAR[])))
        ORDER BY c.document_id, c.ordinal
        """,
        [[c for _, _, c in scored if c], [d for _, d, c in scored if c is None]],
    ).fetchall()
    by_chunk = {row[0]: row for row in rows}
    first_chunk: dict[str, tuple] = {}
    for row in rows:
        first_chunk.setdefault(row[1], row)
    is_match = _matcher(conn, query)
    results: list[SearchResult] = []
    for score, doc, chunk in scored:
        row = by_chunk.get(chunk) if chunk else first_chunk.get(doc)
        if row is None:  # withdrawn or replaced since the index was built
            continue
        chunk_id, _, uri, title, page, text, _ = row
        results.append(
            SearchResult(
                rank=len(results) + 1,
                score=round(score, 6),
                document_id=doc,
                source_uri=uri,
                title=title,
                page=page,
                snippet=make_snippet(text, is_match, config.snippet_chars),
                chunk_id=chunk_id,
            )
        )
    return results


def _matcher(conn: duckdb.DuckDBPyConnection, query: str):
    """A predicate: is a (normalised) word a form of a query word?

    A word matches a query word if it equals it or contains its Indonesian stem (of 4+ letters):
    "pelayanan", "layanan" and "melayani" all contain "layan". Only the query is stemmed, so
    building the snippet costs one tiny SQL call whatever the passage length.
    """
    stop = set(indonesian_stopwords())
    terms = [w for w in query_words(query) if w not in stop]
    stems = _stems(conn, terms)
    exact = set(terms)
    cores = {stem for stem in stems.values() if len(stem) >= 4}
    return lambda word: word in exact or (word not in stop and any(core in word for core in cores))


def _stems(conn: duckdb.DuckDBPyConnection, words: list[str]) -> dict[str, str]:
    if not words:
        return {}
    rows = conn.execute(
        f"SELECT w, stem(w, '{FTS_STEMMER}') FROM unnest(?::VARCHAR[]) t(w)", [words]
    ).fetchall()
    return dict(rows)
