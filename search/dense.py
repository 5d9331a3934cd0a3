"""Dense retrieval: cosine similarity (inner product of unit vectors) over chunk vectors.

Interchangeable backends, measured in bench/bench_search.py and bench/bench_ann.py: `numpy`
keeps the matrix of an index in memory once per connection (reloaded when a build bumps the
index generation) and searches it exactly; `duckdb` computes `list_inner_product` in SQL on
every query; `ann` scans int8 codes of every vector and re-ranks the best with float16 rows
(search/ann.py); `auto` is exact numpy below search.ann.ANN_THRESHOLD active vectors and the
quantised scan from there on.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import duckdb
import numpy as np

from search.cache import PerConnection
from search.index import IndexInfo

Hit = tuple[str, str, float]  # chunk_id, document_id, score

_ACTIVE_VECTORS = """
    SELECT c.chunk_id, c.document_id, e.vector
    FROM chunks c
    JOIN documents d USING (document_id)
    JOIN embeddings e ON e.model = ? AND e.content_hash = c.content_hash
    WHERE d.status = 'active'
    ORDER BY c.chunk_id
"""


@dataclass(frozen=True)
class DenseMatrix:
    """The vectors of an index's active chunks, one row per chunk."""

    model: str
    generation: int
    chunk_ids: list[str]
    document_ids: list[str]
    matrix: np.ndarray  # (n_chunks, dim) float32, unit rows

    @classmethod
    def load(cls, conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> DenseMatrix:
        cols = conn.execute(_ACTIVE_VECTORS, [info.model]).fetchnumpy()
        vectors = cols["vector"]
        matrix = (
            np.stack(vectors).astype(np.float32, copy=False)
            if len(vectors)
            else np.zeros((0, info.dim), dtype=np.float32)
        )
        return cls(
            info.model,
            info.generation,
            [str(c) for c in cols["chunk_id"]],
            [str(d) for d in cols["document_id"]],
            matrix,
        )

    def top(self, query: np.ndarray, n: int) -> list[Hit]:
        """The n chunks most similar to a unit query vector, best first."""
        if not len(self.chunk_ids) or n <= 0:
            return []
        scores = self.matrix @ query.astype(np.float32, copy=False)
        n = min(n, len(scores))
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.chunk_ids[i], self.document_ids[i], float(scores[i])) for i in best]


_matrices: PerConnection[DenseMatrix] = PerConnection()


def dense_matrix(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> DenseMatrix:
    """The connection's cached matrix for this index, loaded on first use or after a rebuild."""
    return _matrices.get(conn, (info.model, info.generation), lambda: DenseMatrix.load(conn, info))


def dense_top_numpy(conn: duckdb.DuckDBPyConnection, info: IndexInfo, query: np.ndarray, n: int) -> list[Hit]:
    """Top n chunks by cosine, from the in-memory matrix."""
    return dense_matrix(conn, info).top(query, n)


def dense_top_duckdb(
    conn: duckdb.DuckDBPyConnection, info: IndexInfo, query: np.ndarray, n: int
) -> list[Hit]:
    """Top n chunks by cosine, computed in SQL."""
    rows = conn.execute(
        """
        SELECT c.chunk_id, c.document_id, list_inner_product(e.vector, ?::FLOAT[]) AS score
        FROM chunks c
        JOIN documents d USING (document_id)
        JOIN embeddings e ON e.model = ? AND e.content_hash = c.content_hash
        WHERE d.status = 'active'
        ORDER BY score DESC, c.chunk_id
        LIMIT ?
        """,
        [query.astype(np.float32).tolist(), info.model, n],
    ).fetchall()
    return [(c, d, float(s)) for c, d, s in rows]


def dense_top_ann(conn: duckdb.DuckDBPyConnection, info: IndexInfo, query: np.ndarray, n: int) -> list[Hit]:
    """Top n chunks by cosine, from the quantised scan (int8 scan, float16 re-rank)."""
    from search.ann import ann_for

    return ann_for(conn, info).top(query, n)


_uses_ann: PerConnection[bool] = PerConnection()


def uses_ann(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> bool:
    """True when the index is large enough for the quantised scan (and usearch is installed);
    decided once per connection and index build (a query and a module lookup, not per search)."""
    from search import ann

    def decide() -> bool:
        big = ann.count_active_vectors(conn, info) >= ann.ANN_THRESHOLD
        return big and importlib.util.find_spec("usearch") is not None

    return _uses_ann.get(conn, (info.model, info.generation, ann.ANN_THRESHOLD), decide)


def resolve_backend(conn: duckdb.DuckDBPyConnection, info: IndexInfo, name: str) -> str:
    """The backend a configured name searches with: `auto` becomes `numpy` or `ann` by index size."""
    if name != "auto":
        return name
    return "ann" if uses_ann(conn, info) else "numpy"


def dense_top_auto(conn: duckdb.DuckDBPyConnection, info: IndexInfo, query: np.ndarray, n: int) -> list[Hit]:
    """Exact numpy search below the ANN threshold, the quantised scan above it."""
    backend = dense_top_ann if uses_ann(conn, info) else dense_top_numpy
    return backend(conn, info, query, n)


def prepare_dense(conn: duckdb.DuckDBPyConnection, info: IndexInfo) -> str:
    """Load (or build) what `auto` searches with, ahead of the first query; names it."""
    if uses_ann(conn, info):
        from search.ann import ann_for

        ann_for(conn, info)
        return "quantised scan"
    dense_matrix(conn, info)
    return "numpy"


DENSE_BACKENDS = {"numpy": dense_top_numpy, "duckdb": dense_top_duckdb, "ann": dense_top_ann,
                  "auto": dense_top_auto}  # fmt: skip
