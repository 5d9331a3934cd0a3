"""Building the search index: chunk embeddings (cached by content and model) and BM25.

`index_state` rows: model (embedder name), dim, generation (bumped by every build, so readers
can tell their cached vectors are stale), built_at, n_chunks.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa

from search.embedders import Embedder
from search.errors import IndexMissing, IndexModelMismatch
from search.lexical import build_lexical
from search.stopwords import indonesian_stopwords
from warehouse.db import load_extension, transaction

STOPWORDS_TABLE = "search_stopwords"
# Lower-cased, accent-stripped text is split on anything but letters and digits, so numbers
# ("2018", "SE 800/123") stay searchable; DuckDB's default pattern would drop the digits.
FTS_IGNORE = r"(\.|[^a-z0-9])+"
FTS_STEMMER = "indonesian"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexStats:
    """What one build did."""

    model: str
    dim: int
    chunks: int  # chunks of active documents
    embedded: int  # distinct texts embedded in this build
    cached: int  # distinct texts whose vector was already stored
    embed_seconds: float
    fts_seconds: float


@dataclass(frozen=True)
class IndexInfo:
    """The model an index was built with."""

    model: str
    dim: int
    generation: int


def index_info(conn: duckdb.DuckDBPyConnection) -> IndexInfo | None:
    """The model, dimension and generation recorded by the last build, or None if never built."""
    state = dict(conn.execute("SELECT key, value FROM index_state").fetchall())
    if "model" not in state:
        return None
    return IndexInfo(state["model"], int(state.get("dim") or 0), int(state.get("generation") or 0))


def require_index(conn: duckdb.DuckDBPyConnection, model: str | None = None) -> IndexInfo:
    """The index's info; raises if there is none or (given `model`) it was built with another."""
    info = index_info(conn)
    if info is None:
        raise IndexMissing("the database has no search index; run `lokus ingest` first (it builds the index)")
    if model is not None and model != info.model:
        raise IndexModelMismatch(
            f"the search index was built with model {info.model!r}, not {model!r}; "
            f"search with {info.model!r} or rebuild the index with the new model"
        )
    return info


def build_index(
    conn: duckdb.DuckDBPyConnection,
    embedder: Embedder,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    rebuild: bool = False,
    re_embed: bool = False,
) -> IndexStats:
    """Embed the chunks of active documents that have no vector yet, then rebuild BM25.

    Refuses (IndexModelMismatch) to add vectors of a model other than the index's, unless
    `rebuild` is set: then the index switches to `embedder`. Vectors stay cached by text and model
    (switching back to a model used before embeds nothing), except where `re_embed` drops the
    model's vectors first, or their dimension no longer matches the model's.
    """
    previous = index_info(conn)
    if rebuild or re_embed:
        _reset(conn, embedder, re_embed=re_embed)
    elif previous is not None and (
        previous.model != embedder.name or (previous.dim and previous.dim != embedder.dim)
    ):
        raise IndexModelMismatch(
            f"the search index was built with model {previous.model!r} ({previous.dim}-d); "
            f"refusing to mix in {embedder.name!r} ({embedder.dim}-d): pass rebuild=True "
            f"to re-embed everything with the new model"
        )

    started = time.perf_counter()
    n_embedded, n_cached = _embed_missing(conn, embedder, batch_size, progress)
    embed_seconds = time.perf_counter() - started

    started = time.perf_counter()
    build_fts(conn)
    build_lexical(conn)
    fts_seconds = time.perf_counter() - started

    n_chunks = _count_active_chunks(conn)
    generation = (previous.generation if previous else 0) + 1  # never reused: caches key on it
    with transaction(conn):
        for key, value in {
            "model": embedder.name,
            "dim": str(embedder.dim),
            "generation": str(generation),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "n_chunks": str(n_chunks),
        }.items():
            conn.execute("INSERT OR REPLACE INTO index_state VALUES (?, ?)", [key, value])
    return IndexStats(embedder.name, embedder.dim, n_chunks, n_embedded, n_cached, embed_seconds, fts_seconds)


def _reset(conn: duckdb.DuckDBPyConnection, embedder: Embedder, *, re_embed: bool) -> None:
    """Forget which model the index was built with; drop the vectors `embedder` cannot reuse."""
    with transaction(conn):
        conn.execute("DELETE FROM index_state WHERE key <> 'generation'")
        if re_embed:
            conn.execute("DELETE FROM embeddings WHERE model = ?", [embedder.name])
        else:
            conn.execute(
                "DELETE FROM embeddings WHERE model = ? AND len(vector) <> ?", [embedder.name, embedder.dim]
            )


def _count_active_chunks(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM chunks c JOIN documents d USING (document_id) WHERE d.status = 'active'"
    ).fetchone()
    return int(row[0]) if row else 0


def store_embeddings(
    conn: duckdb.DuckDBPyConnection,
    model: str,
    content_hashes: list[str],
    vectors: np.ndarray,
    *,
    replace: bool = True,
) -> int:
    """Store one vector per content hash for `model` (replacing, or keeping, any stored one);
    returns the rows written. Passed as an Arrow table: binding the vectors as a nested list
    parameter took ~100 ms a vector (256 vectors: 30 s), Arrow takes ~0.5 ms (measured)."""
    if not content_hashes:
        return 0
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    table = pa.table({
        "content_hash": pa.array(content_hashes, type=pa.string()),
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), matrix.shape[1]),
    })  # fmt: skip
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    name = f"_new_vectors_{uuid.uuid4().hex}"
    conn.register(name, table)
    try:
        row = conn.execute(
            f"{verb} INTO embeddings (model, content_hash, vector) "
            f"SELECT ?, content_hash, vector::FLOAT[] FROM {name}",
            [model],
        ).fetchone()
    finally:
        conn.unregister(name)
    return int(row[0]) if row else 0


def _embed_missing(
    conn: duckdb.DuckDBPyConnection,
    embedder: Embedder,
    batch_size: int,
    progress: Progress | None,
) -> tuple[int, int]:
    """Embed texts of active chunks with no stored vector; returns (embedded, already cached)."""
    rows = conn.execute(
        """
        SELECT c.content_hash, any_value(c.text) AS text,
               bool_or(e.content_hash IS NOT NULL) AS cached
        FROM chunks c
        JOIN documents d USING (document_id)
        LEFT JOIN embeddings e ON e.model = ? AND e.content_hash = c.content_hash
        WHERE d.status = 'active'
        GROUP BY c.content_hash
        ORDER BY c.content_hash
        """,
        [embedder.name],
    ).fetchall()
    missing = [(h, t) for h, t, cached in rows if not cached]
    n_cached = len(rows) - len(missing)
    total = len(missing)
    if progress:
        progress(0, total)
    # Similar lengths batched together waste less padding; each batch is stored as it is done.
    missing.sort(key=lambda row: len(row[1]))
    size = max(batch_size, 1)
    for start in range(0, total, size):
        part = missing[start : start + size]
        vectors = embedder.embed_passages([t for _, t in part])
        with transaction(conn):
            store_embeddings(conn, embedder.name, [h for h, _ in part], vectors)
        if progress:
            progress(start + len(part), total)
    return total, n_cached


def build_fts(conn: duckdb.DuckDBPyConnection) -> None:
    """(Re)build DuckDB's BM25 index over chunk texts, Indonesian-stemmed, stopwords removed.

    Ranking uses search/lexical.py (concepts, weighted query terms); this index stays for tools
    that check a keyword index exists (warehouse/index_pending.py) and for SQL users."""
    load_extension(conn, "fts")
    words = list(indonesian_stopwords())
    conn.execute(f"CREATE OR REPLACE TABLE {STOPWORDS_TABLE} (sw VARCHAR)")
    conn.execute(f"INSERT INTO {STOPWORDS_TABLE} SELECT unnest(?::VARCHAR[])", [words])
    for table, key in (("chunks", "chunk_id"),):
        conn.execute(
            f"PRAGMA create_fts_index('{table}', '{key}', 'text', stemmer='{FTS_STEMMER}', "
            f"stopwords='{STOPWORDS_TABLE}', ignore='{FTS_IGNORE}', "
            "strip_accents=1, lower=1, overwrite=1)"
        )
