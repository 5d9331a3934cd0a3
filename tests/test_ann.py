"""The quantised dense index: recall against exact search, persistence, deletes, read-only use."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from search import ann, dense
from search.ann import AnnIndex, index_path, open_ann
from search.dense import DenseMatrix, dense_top_auto, prepare_dense
from search.index import index_info
from warehouse.db import connect

DIM = 384
N = 3000


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _warehouse(path, n: int = N, seed: int = 0):
    """A warehouse of n chunks (10 a document) with random unit vectors of model 'test'."""
    rng = np.random.default_rng(seed)
    conn = connect(path)
    conn.execute(
        "INSERT INTO documents (document_id, source_uri, doc_type, sha256) "
        "SELECT 'd' || lpad(i::VARCHAR, 5, '0'), 'u' || i, 'text', 'h' || i FROM range(?) t(i)",
        [n // 10],
    )
    conn.execute(
        "INSERT INTO chunks SELECT 'c' || lpad(i::VARCHAR, 6, '0'), 'd' || lpad((i // 10)::VARCHAR, 5, '0'), "
        "1, i, 'x', 0, 1, 'h' || i FROM range(?) t(i)",
        [n],
    )
    vectors = _unit(rng.standard_normal((n, DIM)))
    rows = pa.table({"h": [f"h{i}" for i in range(n)],  # noqa: F841 - read by the SQL below
                     "v": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), DIM)})  # fmt: skip
    conn.execute("INSERT INTO embeddings SELECT 'test', h, v::FLOAT[] FROM rows")
    conn.execute("INSERT INTO index_state VALUES ('model', 'test'), ('dim', ?), ('generation', '1'), "
                 "('n_chunks', ?)", [str(DIM), str(n)])  # fmt: skip
    return conn, vectors


def _near_queries(vectors: np.ndarray, n: int = 40, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), n, replace=False)]
    return _unit(picked + 0.05 * rng.standard_normal(picked.shape))


def _recall(conn, info, graph: AnnIndex, queries: np.ndarray) -> float:
    exact = DenseMatrix.load(conn, info)
    found = [len({h[0] for h in graph.top(q, 10)} & {h[0] for h in exact.top(q, 10)}) / 10 for q in queries]
    return float(np.mean(found))


def _bump(conn) -> None:
    conn.execute("UPDATE index_state SET value = (value::INTEGER + 1)::VARCHAR WHERE key = 'generation'")


def test_recall_against_exact_search(tmp_path):
    conn, vectors = _warehouse(tmp_path / "w.duckdb")
    info = index_info(conn)
    graph = AnnIndex.build(conn, info)
    assert len(graph) == N
    assert _recall(conn, info, graph, _near_queries(vectors)) >= 0.95
    query = _near_queries(vectors, 1)[0]
    hits = graph.top(query, 5)
    exact = DenseMatrix.load(conn, info).top(query, 5)
    assert hits[0][:2] == exact[0][:2]  # the same best chunk and its document
    assert hits[0][2] == pytest.approx(exact[0][2], abs=2e-3)  # f16 rows: scores nearly equal
    assert [h[2] for h in hits] == sorted((h[2] for h in hits), reverse=True)


def test_saved_index_is_reused_then_updated_after_deletes(tmp_path):
    conn, vectors = _warehouse(tmp_path / "w.duckdb")
    info = index_info(conn)
    first = open_ann(conn, info)
    path = index_path(tmp_path / "w.duckdb", "test") / "ids.json"
    assert path.exists()
    saved = path.stat().st_mtime_ns

    again = open_ann(conn, info)  # same generation: loaded from the file, not rebuilt
    assert path.stat().st_mtime_ns == saved
    query = _near_queries(vectors, 1)[0]
    assert again.top(query, 10) == first.top(query, 10)

    # withdraw a tenth of the documents and add new chunks: the graph is updated, not rebuilt
    conn.execute("UPDATE documents SET status = 'withdrawn' WHERE document_id < 'd00030'")
    conn.execute("INSERT INTO chunks VALUES ('c999999', 'd00299', 1, 99, 'x', 0, 1, 'h0')")
    _bump(conn)
    info = index_info(conn)
    updated = open_ann(conn, info)
    assert updated.generation == info.generation
    assert len(updated) == N - 300 + 1
    withdrawn = {f"c{i:06d}" for i in range(300)}
    for q in _near_queries(vectors, 30, seed=5):
        assert not withdrawn & {h[0] for h in updated.top(q, 10)}
    assert _recall(conn, info, updated, _near_queries(vectors, seed=6)) >= 0.95
    assert "c999999" in {h[0] for h in updated.top(vectors[0], 3)}  # the new chunk shares h0's vector
    reloaded = AnnIndex.load(path.parent)
    assert reloaded is not None and reloaded.generation == info.generation and len(reloaded) == len(updated)


def test_read_only_connection_maps_the_file_and_never_writes_it(tmp_path):
    db = tmp_path / "w.duckdb"
    conn, vectors = _warehouse(db)
    open_ann(conn, index_info(conn))
    conn.execute("UPDATE documents SET status = 'withdrawn' WHERE document_id = 'd00000'")
    _bump(conn)
    conn.close()
    path = index_path(db, "test") / "ids.json"
    saved = path.stat().st_mtime_ns
    reader = connect(db, read_only=True)
    info = index_info(reader)
    graph = open_ann(reader, info, read_only=True)
    assert len(graph) == N - 10
    assert path.stat().st_mtime_ns == saved
    assert _recall(reader, info, graph, _near_queries(vectors)) >= 0.95


def test_corrupt_or_other_model_files_are_rebuilt(tmp_path):
    conn, vectors = _warehouse(tmp_path / "w.duckdb", n=500)
    info = index_info(conn)
    path = index_path(tmp_path / "w.duckdb", "test")
    open_ann(conn, info)
    (path / "codes.npy").write_bytes(b"not an index")
    assert AnnIndex.load(path) is None
    graph = open_ann(conn, info)
    assert len(graph) == 500 and AnnIndex.load(path) is not None
    conn.execute("UPDATE index_state SET value = 'other' WHERE key = 'model'")
    conn.execute("UPDATE embeddings SET model = 'other'")
    other = index_info(conn)
    assert len(open_ann(conn, other)) == 500 and index_path(tmp_path / "w.duckdb", "other").exists()


def test_auto_backend_switches_at_the_threshold(tmp_path, monkeypatch):
    conn, vectors = _warehouse(tmp_path / "w.duckdb", n=1000)
    info = index_info(conn)
    query = _near_queries(vectors, 1)[0]
    assert prepare_dense(conn, info) == "numpy"
    below = dense_top_auto(conn, info, query, 10)
    assert not index_path(tmp_path / "w.duckdb", "test").exists()
    monkeypatch.setattr(ann, "ANN_THRESHOLD", 1000)
    assert prepare_dense(conn, info) == "quantised scan"
    above = dense_top_auto(conn, info, query, 10)
    assert index_path(tmp_path / "w.duckdb", "test").exists()
    assert [h[0] for h in above][:5] == [h[0] for h in below][:5]
    assert set(dense.DENSE_BACKENDS) >= {"numpy", "duckdb", "ann", "auto"}
