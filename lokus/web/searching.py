"""Search for the web app: the filtered hybrid search, extra passages and document details.

Results keep the keys `lokus search --json` prints (SearchResult.to_json) and add what the
page shows: the document's details, its other matching passages and a link. Filters are applied
by `search.query.search` before ranking, and snippets, highlights and the page's marks use the
search's own word matcher (search.query.word_matcher, search.snippet.make_snippet).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np

from lokus.web import facts
from lokus.web.facts import packed
from lokus.web.reader import PublishedWarehouse
from search.concepts import default_concepts
from search.embedders import Embedder, get_embedder
from search.filters import SearchFilters
from search.index import require_index
from search.lexical import QueryTerms, lexical_index, query_terms
from search.query import DEFAULT_FUSION, NO_CONCEPTS, SearchResult, search, word_matcher
from search.snippet import make_snippet

MAX_TOP = 50
EXTRA_PASSAGES = 2
SNIPPET_CHARS = DEFAULT_FUSION.snippet_chars


@dataclass(frozen=True)
class Filters:
    """What the search page can narrow results by (all optional)."""

    province: str | None = None
    region: str | None = None
    program: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in self.__dict__.values())

    def search_filters(self) -> SearchFilters:
        """The same filters for `search.query.search` (blank fields mean any)."""
        return SearchFilters(
            region=self.region or None,
            province=self.province or None,
            program=self.program or None,
            year_from=self.year_from,
            year_to=self.year_to,
            doc_type=self.doc_type or None,
        )


class SharedEmbedder:
    """One embedder for all request threads: calls are serialised (the model is not thread-safe)
    and query vectors are cached, so a repeated query costs no model time."""

    def __init__(self, inner: Embedder, cache_size: int = 512) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
            vector = self.inner.embed_query(text)
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self.inner.embed_passages(texts)


class EmbedderSlot:
    """The embedder of the index being served, loaded on first use (and again if the model changes)."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._embedder: SharedEmbedder | None = None

    def get(self, index_model: str) -> SharedEmbedder:
        wanted = self.model or index_model
        with self._lock:
            if self._embedder is None or self._embedder.name != wanted:
                self._embedder = SharedEmbedder(get_embedder(wanted))
            return self._embedder


def run_search(
    conn: duckdb.DuckDBPyConnection,
    slot: EmbedderSlot,
    query: str,
    filters: Filters = Filters(),
    top: int = 10,
) -> tuple[list[dict], Callable[[str], bool]]:
    """Results as dicts (best first) and the word matcher used to highlight them."""
    top = max(1, min(top, MAX_TOP))
    if not query.strip():
        return [], lambda _w: False
    info = require_index(conn)
    embedder = slot.get(info.model)
    results = search(conn, query, embedder=embedder, top=top, filters=filters.search_filters())
    terms = query_terms(
        conn,
        query,
        related_weight=DEFAULT_FUSION.related_weight,
        concepts=default_concepts() if DEFAULT_FUSION.concepts else NO_CONCEPTS,
    )
    is_match = word_matcher(terms)
    details = facts.document_details(conn, [r.document_id for r in results])
    extra = _extra_chunks(conn, info.generation, terms, results)
    out = []
    for result in results:
        item = result.to_json()
        item.update(details.get(result.document_id, {}))
        item["passages"] = [
            {"page": page, "snippet": make_snippet(text, is_match, SNIPPET_CHARS), "chunk_id": chunk}
            for chunk, page, text in extra.get(result.document_id, [])
        ]
        item["url"] = f"/documents/{result.document_id}"
        out.append(item)
    return out, is_match


def cached_search(
    warehouse: PublishedWarehouse,
    conn: duckdb.DuckDBPyConnection,
    slot: EmbedderSlot,
    query: str,
    filters: Filters = Filters(),
    top: int = 10,
) -> tuple[list[dict], Callable[[str], bool]]:
    """`run_search`, remembered for the published copy being read; the caller gets its own copy."""
    results, is_match = warehouse.memo(
        ("search", query, filters, top), lambda: run_search(conn, slot, query, filters, top)
    )
    return copy.deepcopy(results), is_match


def _extra_chunks(
    conn: duckdb.DuckDBPyConnection, generation: int, terms: QueryTerms, results: list[SearchResult]
) -> dict[str, list[tuple]]:
    """Up to EXTRA_PASSAGES other keyword-matching chunks (id, page, text) of each result's document,
    best BM25 first (the search's own scores and query terms)."""
    if not results or not terms.weights:
        return {}
    lex = lexical_index(conn, generation)
    scores = lex.chunks.scores(terms.weights, DEFAULT_FUSION.bm25_k1, DEFAULT_FUSION.bm25_b)
    wanted: dict[str, list[str]] = {}
    for result in results:
        span = lex.doc_chunks.get(lex.doc_unit.get(result.document_id, -1))
        if span is None:
            continue
        units = np.arange(*span)
        units = units[scores[units] > 0]
        order = units[np.lexsort((units, -scores[units]))]
        others = [lex.chunks.keys[u] for u in order if lex.chunks.keys[u] != result.chunk_id]
        if others:
            wanted[result.document_id] = others[:EXTRA_PASSAGES]
    ids = [c for chunks in wanted.values() for c in chunks]
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT chunk_id, page_no, text FROM chunks "
        "WHERE chunk_id IN (SELECT unnest(string_split(?, chr(31))))",
        [packed(ids)],
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    return {doc: [by_id[c] for c in chunks if c in by_id] for doc, chunks in wanted.items()}
