"""Searching the index: BM25, dense, or both fused; one result per document, filters first.

Never imports Prefect: the CLI's search path must start fast.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np

from search.ann import RERANK
from search.concepts import Concepts, default_concepts
from search.dense import DENSE_BACKENDS, Hit, dense_matrix, resolve_backend
from search.details import document_details
from search.embedders import Embedder, get_embedder
from search.errors import IndexMissing, SearchError
from search.filters import NO_FILTERS, SearchFilters, allowed_documents_sql
from search.index import IndexInfo, require_index
from search.lexical import LexicalIndex, QueryTerms, lexical_index, query_terms
from search.snippet import WORD, make_snippet, normalise_word
from search.stopwords import all_stopwords
from warehouse.db import connect

__all__ = [
    "MODES",
    "FusionConfig",
    "SearchError",
    "SearchFilters",
    "SearchResult",
    "bm25_documents",
    "bm25_hits",
    "search",
    "search_database",
]

Mode = Literal["hybrid", "bm25", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "bm25", "dense")
NO_CONCEPTS = Concepts([])
ANN_CANDIDATES_PER_DOCUMENT = 10  # chunks asked of the quantised scan per document wanted


@dataclass(frozen=True)
class SearchResult:
    """One matching document, shown by its best passage, with where and when it is from."""

    rank: int
    score: float
    document_id: str
    source_uri: str
    title: str | None
    page: int
    snippet: str
    chunk_id: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # matched words in snippet
    host_region: str | None = None
    region_code: str | None = None
    province: str | None = None
    host_units: list[str] = field(default_factory=list)
    program: str | None = None
    date: str | None = None  # visit date, else publication date (ISO), else the year
    doc_type: str | None = None
    language: str | None = None

    def to_json(self) -> dict:
        """The keys `lokus search --json` (and the web API) print."""
        data = asdict(self)
        data.pop("chunk_id")
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(frozen=True)
class FusionConfig:
    """How search ranks and fuses (values chosen by measurement: `lokus eval search`)."""

    k: float = 60.0  # reciprocal rank fusion constant
    depth: int = 50  # documents taken from each list before fusing (at least `top`)
    bm25_weight: float = 1.0
    # The small embedding model trails BM25 on Indonesian queries (dev nDCG@10: dense 0.47, BM25
    # with concepts 0.74); it still carries English and paraphrased queries that share no words.
    # Rank fusion let dense's confident misses push BM25's right answer down (dev 0.68); summing
    # min-max scaled scores with dense at 0.2 kept BM25's order and added recall (dev 0.75).
    dense_weight: float = 0.2
    fusion: str = "scores"  # "scores" (min-max normalised scores, summed) or "rrf" (ranks)
    bm25_level: str = "document"  # rank documents by whole-document BM25, or by their best chunk
    bm25_k1: float = 0.9
    bm25_b: float = 0.4
    concepts: bool = True  # abbreviations and their long forms as one concept
    related_weight: float = 0.5  # weight of a concept's related terms added to the query
    # "auto": the exact in-memory matrix below search.ann.ANN_THRESHOLD vectors, the quantised scan
    # from there; "numpy", "duckdb" (SQL) and "ann" force one (search/dense.py).
    dense_backend: str = "auto"
    snippet_chars: int = 240


DEFAULT_FUSION = FusionConfig()


@dataclass(frozen=True)
class Ranked:
    """Documents (units of the keyword index) in order, with their chunk scores for snippets."""

    docs: list[tuple[int, float]]  # (document unit, score), best first
    chunk_bm25: np.ndarray
    chunk_dense: np.ndarray | None
    terms: QueryTerms
    lex: LexicalIndex | None = None  # the keyword index ranked with (results reuse it)


def search(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    embedder: Embedder | None,
    top: int = 10,
    mode: Mode = "hybrid",
    config: FusionConfig = DEFAULT_FUSION,
    filters: SearchFilters = NO_FILTERS,
    exclude: frozenset[str] = frozenset(),
    query_vector: np.ndarray | None = None,
) -> list[SearchResult]:
    """The `top` active documents best matching `query` and passing `filters`, best first.

    `embedder` must be the model the index was built with (it may be None for `bm25`, or when
    `query_vector` is given). Each document is shown by its best chunk: its page and a snippet.
    """
    ranked = rank_documents(
        conn, query, embedder=embedder, top=top, mode=mode, config=config, filters=filters,
        exclude=exclude, query_vector=query_vector,
    )
    if ranked is None:
        return []
    return _results(conn, ranked, top, config)


def rank_documents(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    embedder: Embedder | None,
    top: int = 10,
    mode: Mode = "hybrid",
    config: FusionConfig = DEFAULT_FUSION,
    filters: SearchFilters = NO_FILTERS,
    exclude: frozenset[str] = frozenset(),
    query_vector: np.ndarray | None = None,
) -> Ranked | None:
    """Every matching document unit in order (None for an empty query), before results are made."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    if mode != "bm25" and embedder is None and query_vector is None:
        raise ValueError(f"search mode {mode!r} needs the index's embedder")
    dense_model = embedder.name if embedder is not None and mode != "bm25" else None
    info = require_index(conn, dense_model)
    if not query.strip() or top <= 0:
        return None
    lex = _lexical(conn, info)
    allowed = _allowed(conn, lex, filters, exclude)
    terms = query_terms(
        conn, query, related_weight=config.related_weight,
        concepts=default_concepts() if config.concepts else NO_CONCEPTS,
    )
    chunk_bm25 = lex.chunks.scores(terms.weights, config.bm25_k1, config.bm25_b)
    depth = max(config.depth, top)
    lists: dict[str, list[tuple[int, float]]] = {}
    if mode in ("bm25", "hybrid"):
        if config.bm25_level == "document":
            doc_bm25 = lex.documents.scores(terms.weights, config.bm25_k1, config.bm25_b)
        else:
            doc_bm25 = _max_per_document(lex, chunk_bm25)
        lists["bm25"] = _top(doc_bm25, allowed, depth if mode == "hybrid" else None, positive=True)
    chunk_dense = None
    if mode in ("dense", "hybrid"):
        vector = query_vector if query_vector is not None else embedder.embed_query(query)  # type: ignore[union-attr]
        chunk_dense = _dense_chunk_scores(conn, info, lex, vector, config, depth)
        doc_dense = _max_per_document(lex, chunk_dense)
        lists["dense"] = _top(doc_dense, allowed, depth if mode == "hybrid" else None, positive=False)
    if mode == "hybrid":
        weights = {"bm25": config.bm25_weight, "dense": config.dense_weight}
        fused = _fuse(lists, weights, config)
        docs = sorted(fused.items(), key=lambda item: (-item[1], lex.documents.keys[item[0]]))
    else:
        (docs,) = lists.values()
    return Ranked(docs, chunk_bm25, chunk_dense, terms, lex)


def search_database(
    db_path: str | Path,
    query: str,
    *,
    top: int = 10,
    mode: Mode = "hybrid",
    model: str | None = None,
    filters: SearchFilters = NO_FILTERS,
) -> list[SearchResult]:
    """Search the published copy of a warehouse (read-only) with the model its index was built with.

    Raises SearchError (no index, or `model` given and not the index's) or WarehouseError.
    """
    from warehouse.publish import reading_path

    conn = connect(reading_path(db_path), read_only=True)
    try:
        info = require_index(conn)
        embedder = None if mode == "bm25" else get_embedder(model or info.model)
        return search(conn, query, embedder=embedder, top=top, mode=mode, filters=filters)
    finally:
        conn.close()


def bm25_hits(
    conn: duckdb.DuckDBPyConnection, query: str, n: int, k1: float = 0.9, b: float = 0.4
) -> list[Hit]:
    """Top n chunks of active documents by BM25, best first: (chunk_id, document_id, score)."""
    info = require_index(conn)
    lex = _lexical(conn, info)
    allowed = _allowed(conn, lex, NO_FILTERS, frozenset())
    terms = query_terms(conn, query)
    scores = lex.chunks.scores(terms.weights, k1, b)
    keep = allowed[lex.chunk_doc] if len(lex.chunk_doc) else np.zeros(0, dtype=bool)
    scores = np.where(keep & (scores > 0), scores, 0.0)
    return [
        (lex.chunks.keys[i], lex.chunks.doc_ids[i], float(s))
        for i, s in _top(scores, None, n, positive=True)
    ]


def bm25_documents(
    conn: duckdb.DuckDBPyConnection, query: str, n: int, k1: float = 0.9, b: float = 0.4
) -> list[tuple[str, float]]:
    """Top n active documents by BM25 over their whole text, title and facts, best first."""
    info = require_index(conn)
    lex = _lexical(conn, info)
    allowed = _allowed(conn, lex, NO_FILTERS, frozenset())
    scores = lex.documents.scores(query_terms(conn, query).weights, k1, b)
    return [(lex.documents.keys[i], float(s)) for i, s in _top(scores, allowed, n, positive=True)]


# --- ranking helpers ------------------------------------------------------------------------


def _lexical(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> LexicalIndex:
    """The keyword index (cached per connection: the tables are only read once per build)."""
    try:
        return lexical_index(conn, info.generation)
    except duckdb.CatalogException as exc:
        raise IndexMissing(
            "the database has no keyword index; run `lokus ingest` first (it builds the index)"
        ) from exc


def _allowed(
    conn: duckdb.DuckDBPyConnection, lex: LexicalIndex, filters: SearchFilters, exclude: frozenset[str]
) -> np.ndarray:
    """A mask over document units: active, passing the filters, not excluded."""

    def passing() -> np.ndarray:
        sql, params = allowed_documents_sql(filters)
        units = conn.execute(
            f"SELECT unit FROM search_units WHERE kind = 'd' AND document_id IN ({sql})", params
        ).fetchnumpy()["unit"]
        mask = np.zeros(lex.documents.n, dtype=bool)
        mask[np.asarray(units, dtype=np.int64)] = True
        return mask

    mask = lex.memo(("allowed", filters), passing).copy()  # kept while a read-only copy is open
    for doc in exclude:
        unit = lex.doc_unit.get(doc)
        if unit is not None:
            mask[unit] = False
    return mask


def _top(
    scores: np.ndarray, allowed: np.ndarray | None, n: int | None, *, positive: bool
) -> list[tuple[int, float]]:
    """(unit, score) of the best n units (all if n is None) that are allowed (and score > 0)."""
    keep = np.ones(len(scores), dtype=bool) if allowed is None else allowed.copy()
    keep &= scores > 0 if positive else np.isfinite(scores)
    candidates = np.flatnonzero(keep)
    if not len(candidates):
        return []
    values = scores[candidates]
    if n is not None and n < len(candidates):
        part = np.argpartition(-values, n - 1)[:n]
        candidates, values = candidates[part], values[part]
    order = np.lexsort((candidates, -values))
    return [(int(candidates[i]), float(values[i])) for i in order]


def _max_per_document(lex: LexicalIndex, chunk_scores: np.ndarray) -> np.ndarray:
    out = np.full(lex.documents.n, -np.inf, dtype=np.float32)
    valid = lex.chunk_doc >= 0
    np.maximum.at(out, lex.chunk_doc[valid], chunk_scores[valid])
    return out


class _DenseAlignment:
    """Rows of the dense matrix as chunk units of the keyword index (for one index generation)."""

    def __init__(self, generation: int, units: np.ndarray) -> None:
        self.generation, self.units = generation, units


_alignments: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_align_lock = threading.Lock()


def _dense_chunk_scores(
    conn: duckdb.DuckDBPyConnection,
    info: IndexInfo,
    lex: LexicalIndex,
    vector: np.ndarray,
    config: FusionConfig,
    depth: int,
) -> np.ndarray:
    """Cosine of every chunk unit to the query vector (-inf for chunks without a vector)."""
    out = np.full(lex.chunks.n, -np.inf, dtype=np.float32)
    backend = resolve_backend(conn, info, config.dense_backend)
    if backend == "numpy":
        matrix = dense_matrix(conn, info)
        with _align_lock:
            aligned = _alignments.get(conn)
            if aligned is None or aligned.generation != info.generation or len(aligned.units) != len(
                matrix.chunk_ids
            ):
                index = {key: i for i, key in enumerate(lex.chunks.keys)}
                units = np.array([index.get(c, -1) for c in matrix.chunk_ids], dtype=np.int64)
                aligned = _DenseAlignment(info.generation, units)
                _alignments[conn] = aligned
        if len(matrix.chunk_ids):
            scores = matrix.matrix @ vector.astype(np.float32, copy=False)
            valid = aligned.units >= 0
            out[aligned.units[valid]] = scores[valid]
        return out
    # The quantised scan re-ranks only its best candidates: ask for enough chunks to fill `depth`
    # documents; the exact backends score every chunk.
    n = max(ANN_CANDIDATES_PER_DOCUMENT * depth, RERANK) if backend == "ann" else lex.chunks.n
    hits = DENSE_BACKENDS[backend](conn, info, vector, n)
    if hits:
        units = lex.chunk_units([chunk for chunk, _, _ in hits])
        scores = np.array([score for _, _, score in hits], dtype=np.float32)
        found = units >= 0
        out[units[found]] = scores[found]
    return out


def _fuse(
    lists: dict[str, list[tuple[int, float]]], weights: dict[str, float], config: FusionConfig
) -> dict[int, float]:
    fused: dict[int, float] = {}
    for name, ranking in lists.items():
        weight = weights.get(name, 1.0)
        if config.fusion == "scores":
            if not ranking:
                continue
            high, low = ranking[0][1], ranking[-1][1]
            span = (high - low) or 1.0
            for unit, score in ranking:
                fused[unit] = fused.get(unit, 0.0) + weight * (score - low) / span
        else:
            for rank, (unit, _) in enumerate(ranking, start=1):
                fused[unit] = fused.get(unit, 0.0) + weight / (config.k + rank)
    return fused


# --- results ----------------------------------------------------------------------------------


def best_chunk(lex: LexicalIndex, ranked: Ranked, doc_unit: int, dense_weight: float) -> int | None:
    """The document's chunk unit that best matches: BM25 and cosine, each scaled within the
    document; the first chunk when nothing matches (a title-only match)."""
    span = lex.doc_chunks.get(doc_unit)
    if span is None:
        return None
    first, end = span
    bm25 = ranked.chunk_bm25[first:end].astype(np.float64)
    score = bm25 / bm25.max() if bm25.max() > 0 else np.zeros_like(bm25)
    if ranked.chunk_dense is not None:
        dense = ranked.chunk_dense[first:end].astype(np.float64)
        finite = np.isfinite(dense)
        if finite.any():
            low, high = dense[finite].min(), dense[finite].max()
            scaled = np.where(finite, (dense - low) / ((high - low) or 1.0), 0.0)
            score = score + (dense_weight if bm25.max() > 0 else 1.0) * scaled
    return first + int(np.argmax(score))


def _results(
    conn: duckdb.DuckDBPyConnection, ranked: Ranked, top: int, config: FusionConfig
) -> list[SearchResult]:
    lex = ranked.lex or _lexical(conn, require_index(conn))
    chosen = ranked.docs[:top]
    chunk_units = {d: best_chunk(lex, ranked, d, config.dense_weight) for d, _ in chosen}
    chunk_ids = [lex.chunks.keys[c] for c in chunk_units.values() if c is not None]
    rows = conn.execute(
        """
        SELECT c.chunk_id, c.page_no, c.text FROM chunks c
        WHERE c.chunk_id IN (SELECT unnest(string_split(?, chr(31))))
        """,
        [chr(31).join(chunk_ids)],
    ).fetchall()
    by_chunk = {r[0]: r for r in rows}
    doc_ids = [lex.documents.keys[d] for d, _ in chosen]
    docs = {
        r[0]: r
        for r in conn.execute(
            "SELECT document_id, source_uri, title FROM documents WHERE status = 'active' "
            "AND document_id IN (SELECT unnest(string_split(?, chr(31))))",
            [chr(31).join(doc_ids)],
        ).fetchall()
    }
    details = document_details(conn, doc_ids)
    is_match = word_matcher(ranked.terms)
    results: list[SearchResult] = []
    for unit, score in chosen:
        doc = lex.documents.keys[unit]
        chunk = chunk_units.get(unit)
        row = by_chunk.get(lex.chunks.keys[chunk]) if chunk is not None else None
        if doc not in docs:  # withdrawn or replaced since the index was built
            continue
        _, uri, title = docs[doc]
        snippet = make_snippet(row[2], is_match, config.snippet_chars) if row else (title or "")
        detail = details.get(doc, {})
        results.append(
            SearchResult(
                rank=len(results) + 1,
                score=round(float(score), 6),
                document_id=doc,
                source_uri=uri,
                title=title,
                page=row[1] if row else 1,
                snippet=snippet,
                chunk_id=row[0] if row else "",
                highlights=highlight_spans(snippet, is_match),
                **detail,
            )
        )
    return results


def word_matcher(terms: QueryTerms):
    """A predicate on normalised words: a query word, a concept form's word, or a word containing
    a typed word's Indonesian stem of 4+ letters ("pelayanan", "melayani" contain "layan")."""
    stop = all_stopwords()
    exact = {w for w in terms.words if w not in stop and len(w) > 1}
    cores = {stem for stem, weight in terms.stems.items() if weight >= 1.0 and len(stem) >= 4}
    return lambda word: word in exact or (word not in stop and any(core in word for core in cores))


def highlight_spans(text: str, is_match) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` the matcher accepts."""
    return [(m.start(), m.end()) for m in WORD.finditer(text) if is_match(normalise_word(m.group()))]
