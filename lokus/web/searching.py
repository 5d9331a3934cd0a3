"""Search for the web app: hybrid search, then filters, extra passages and document details.

Results keep the keys `lokus search --json` prints (SearchResult.to_json) and add what the
page shows: the document's details, its other matching passages and a link.
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
from search.embedders import Embedder, get_embedder
from search.index import FTS_STEMMER, require_index
from search.query import bm25_hits, search
from search.snippet import WORD, make_snippet, normalise_word, query_words
from search.stopwords import indonesian_stopwords

MAX_TOP = 50
FILTERED_POOL = 100  # results fetched before filtering, so filters rarely empty a page
EXTRA_PASSAGES = 2
SNIPPET_CHARS = 240


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


def term_matcher(conn: duckdb.DuckDBPyConnection, query: str, texts: list[str]):
    """A predicate on normalised words: does the word share its Indonesian stem with a query word?"""
    stop = set(indonesian_stopwords())
    terms = [w for w in query_words(query) if w not in stop]
    words = sorted({normalise_word(w) for text in texts for w in WORD.findall(text)} | set(terms))
    stems: dict[str, str] = {}
    if words:
        rows = conn.execute(
            f"SELECT w, stem(w, '{FTS_STEMMER}') FROM unnest(string_split(?, chr(31))) t(w)",
            [packed(words)],
        ).fetchall()
        stems = dict(rows)
    wanted = {stems.get(t, t) for t in terms}
    return lambda word: word not in stop and stems.get(word, word) in wanted


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
    pool = FILTERED_POOL if filters.active else top
    results = search(conn, query, embedder=embedder, top=pool)
    details = facts.document_details(conn, [r.document_id for r in results])
    kept = [r for r in results if _passes(details.get(r.document_id, {}), filters)][:top]
    extra = _extra_chunks(conn, query, kept)
    texts = [r.snippet for r in kept] + [row[2] for rows in extra.values() for row in rows]
    is_match = term_matcher(conn, query, texts)
    out = []
    for rank, result in enumerate(kept, start=1):
        item = result.to_json()
        item["rank"] = rank
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


def _passes(detail: dict, filters: Filters) -> bool:
    if not filters.active:
        return True
    if filters.doc_type and filters.doc_type not in (detail.get("doc_type"), detail.get("doc_kind")):
        return False
    if filters.province and filters.province not in detail.get("host_provinces", []):
        return False
    if filters.region and filters.region not in detail.get("host_regions", []):
        return False
    if filters.program and filters.program not in detail.get("programs", []):
        return False
    years = detail.get("years") or []
    if filters.year_from and not any(y >= filters.year_from for y in years):
        return False
    return not (filters.year_to and not any(y <= filters.year_to for y in years))


def _extra_chunks(conn: duckdb.DuckDBPyConnection, query: str, results) -> dict[str, list[tuple]]:
    """Up to EXTRA_PASSAGES other keyword-matching chunks (id, page, text) of each result's document."""
    if not results:
        return {}
    best = {r.document_id: r.chunk_id for r in results}
    wanted: dict[str, list[str]] = {}
    for chunk, doc, _ in bm25_hits(conn, query, 200):
        if doc in best and chunk != best[doc] and len(wanted.setdefault(doc, [])) < EXTRA_PASSAGES:
            wanted[doc].append(chunk)
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
