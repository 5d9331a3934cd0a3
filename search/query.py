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
from search.fusion import document_ranking, ordered, rrf
from search.index import FTS_STEMMER, require_index
from search.snippet import WORD, make_snippet, normalise_word, query_words
from search.stopwords import indonesian_stopwords
from warehouse.db import connect, load_extension

__all__ = ["MODES", "FusionConfig", "SearchError", "SearchResult", "bm25_hits", "search", "search_database"]

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
    """How hybrid search combines its lists (chosen by measurement, see bench/bench_search.py)."""

    k: float = 60.0  # reciprocal rank fusion constant
    depth: int = 50  # chunks taken from each list before fusing
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
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
    """
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    if mode != "bm25" and embedder is None:
        raise ValueError(f"search mode {mode!r} needs the index's embedder")
    info = require_index(conn, embedder.name if embedder is not None and mode != "bm25" else None)
    if not query.strip() or top <= 0:
        return []

    lists: dict[str, list[Hit]] = {}
    if mode in ("bm25", "hybrid"):
        lists["bm25"] = bm25_hits(conn, query, config.depth)
    if mode in ("dense", "hybrid"):
        assert embedder is not None
        vector = embedder.embed_query(query)
        lists["dense"] = DENSE_BACKENDS[config.dense_backend](conn, info, vector, config.depth)

    if mode == "hybrid":
        weights = {"bm25": config.bm25_weight, "dense": config.dense_weight}
        doc_scores = rrf(
            {name: document_ranking(hits) for name, hits in lists.items()},
            k=config.k,
            weights=weights,
        )
        chunk_scores = rrf(
            {name: [chunk for chunk, _, _ in hits] for name, hits in lists.items()},
            k=config.k,
            weights=weights,
        )
    else:
        (hits,) = lists.values()
        doc_scores = {}
        for _, doc, score in hits:
            doc_scores.setdefault(doc, score)
        chunk_scores = {chunk: score for chunk, _, score in hits}

    chunk_doc = {chunk: doc for hits in lists.values() for chunk, doc, _ in hits}
    best_chunk: dict[str, str] = {}
    for chunk in ordered(chunk_scores):
        best_chunk.setdefault(chunk_doc[chunk], chunk)
    chosen = ordered(doc_scores)[:top]
    return _results(conn, query, [(doc_scores[d], best_chunk[d]) for d in chosen], config)


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


def bm25_hits(conn: duckdb.DuckDBPyConnection, query: str, n: int) -> list[Hit]:
    """Top n chunks of active documents by BM25 (any query word may match), best first."""
    load_extension(conn, "fts")
    try:
        rows = conn.execute(
            """
            SELECT c.chunk_id, c.document_id, s.score
            FROM (
                SELECT chunk_id, fts_main_chunks.match_bm25(chunk_id, ?) AS score FROM chunks
            ) s
            JOIN chunks c USING (chunk_id)
            JOIN documents d USING (document_id)
            WHERE s.score IS NOT NULL AND d.status = 'active'
            ORDER BY s.score DESC, c.chunk_id
            LIMIT ?
            """,
            [query, n],
        ).fetchall()
    except duckdb.CatalogException as exc:
        raise IndexMissing("the database has no keyword index; run `lokus index` first") from exc
    return [(c, d, float(s)) for c, d, s in rows]


def _results(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    scored: list[tuple[float, str]],
    config: FusionConfig,
) -> list[SearchResult]:
    if not scored:
        return []
    rows = conn.execute(
        """
        SELECT c.chunk_id, c.document_id, d.source_uri, d.title, c.page_no, c.text
        FROM chunks c JOIN documents d USING (document_id)
        WHERE c.chunk_id IN (SELECT unnest(?::VARCHAR[])) AND d.status = 'active'
        """,
        [[chunk for _, chunk in scored]],
    ).fetchall()
    by_chunk = {row[0]: row for row in rows}
    is_match = _matcher(conn, query, [row[5] for row in rows])
    results: list[SearchResult] = []
    for score, chunk in scored:
        if chunk not in by_chunk:  # withdrawn or replaced since the index was built
            continue
        _, doc, uri, title, page, text = by_chunk[chunk]
        results.append(
            SearchResult(
                rank=len(results) + 1,
                score=round(score, 6),
                document_id=doc,
                source_uri=uri,
                title=title,
                page=page,
                snippet=make_snippet(text, is_match, config.snippet_chars),
                chunk_id=chunk,
            )
        )
    return results


def _matcher(conn: duckdb.DuckDBPyConnection, query: str, texts: list[str]):
    """A predicate: does a (normalised) word share its Indonesian stem with a query word?"""
    stop = set(indonesian_stopwords())
    terms = [w for w in query_words(query) if w not in stop]
    words = {normalise_word(w) for text in texts for w in WORD.findall(text)}
    stems = _stems(conn, sorted(words | set(terms)))
    wanted = {stems[t] for t in terms}
    return lambda word: word not in stop and stems.get(word, word) in wanted


def _stems(conn: duckdb.DuckDBPyConnection, words: list[str]) -> dict[str, str]:
    if not words:
        return {}
    rows = conn.execute(
        f"SELECT w, stem(w, '{FTS_STEMMER}') FROM unnest(?::VARCHAR[]) t(w)", [words]
    ).fetchall()
    return dict(rows)
