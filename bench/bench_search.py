"""Search benchmark on the dev corpus: embedding speed, latency and ranking quality.

Ingests shared/corpus/dev/docs into temporary DuckDB files without Prefect (read → chunk →
load), indexes them with each model, then prints chunks/s embedded, search latency and
nDCG@10 / Recall@10 / MRR per mode against shared/corpus/dev/queries.json.

    .venv/bin/python bench/bench_search.py [--dense-scale 20000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from extract.errors import ReadError  # noqa: E402
from extract.read import read_path  # noqa: E402
from lokus.settings import get_settings  # noqa: E402
from search.chunking import chunk_document  # noqa: E402
from search.embedders import get_embedder  # noqa: E402
from search.evaluate import evaluate_search, load_queries  # noqa: E402
from search.index import build_index, index_info  # noqa: E402
from search.query import DEFAULT_FUSION, FusionConfig, search  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.load import load_document  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus" / "dev"
DOCS = SHARED / "docs"
QUERIES = SHARED / "queries.json"
MODELS = ("e5-small-q4", "minilm")


class MemoQueries:
    """An embedder that embeds each query once (quality runs repeat the same queries)."""

    def __init__(self, embedder) -> None:
        self.inner, self.name, self.dim = embedder, embedder.name, embedder.dim
        self.memo: dict[str, np.ndarray] = {}

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self.memo:
            self.memo[text] = self.inner.embed_query(text)
        return self.memo[text]


def ingest(db_path: Path) -> tuple[object, int, list[str]]:
    """Read, chunk and load every dev document; returns (connection, chunks, failures)."""
    settings = get_settings()
    conn = connect(db_path)
    n_chunks, failures = 0, []
    for path in sorted(DOCS.iterdir()):
        try:
            doc = read_path(path)
        except ReadError as exc:
            failures.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        chunks = chunk_document(doc, target_chars=settings.chunk_chars, overlap_chars=settings.chunk_overlap)
        load_document(conn, doc, chunks)
        n_chunks += len(chunks)
    return conn, n_chunks, failures


def latency(conn, queries: list[str], embedder, mode: str, config: FusionConfig) -> tuple[float, float]:
    """Median and p95 milliseconds per search (after one warm-up query)."""
    search(conn, queries[0], embedder=embedder, mode=mode, config=config)
    times = []
    for _ in range(3):
        for q in queries:
            start = time.perf_counter()
            search(conn, q, embedder=embedder, mode=mode, config=config)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def dense_scale(n: int, dim: int = 384, repeats: int = 20) -> dict[str, float]:
    """Dense top-50 latency (ms) of both backends over n random unit vectors."""
    from search.dense import DENSE_BACKENDS, dense_matrix

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "scale.duckdb")
        conn.execute(
            "INSERT INTO documents (document_id, source_uri, doc_type, sha256) "
            "SELECT 'd' || i, 'u' || i, 'text', 'h' || i FROM range(?) t(i)",
            [n // 10],
        )
        conn.execute(
            "INSERT INTO chunks SELECT 'c' || i, 'd' || (i // 10), 1, i, 'x', 0, 1, 'h' || i "
            "FROM range(?) t(i)",
            [n],
        )
        # Random unit vectors made in SQL (passing millions of floats from Python is slow).
        conn.execute(
            "INSERT INTO embeddings SELECT 'scale', 'h' || i, "
            "list_transform(v, x -> (x / sqrt(list_inner_product(v, v)))::FLOAT) "
            "FROM (SELECT i, list_transform(range(?), x -> (random() - 0.5)::FLOAT) AS v FROM range(?) t(i))",
            [dim, n],
        )
        conn.execute(
            "INSERT INTO index_state VALUES ('model', 'scale'), ('dim', ?), ('generation', '1')", [str(dim)]
        )
        info = index_info(conn)
        start = time.perf_counter()
        dense_matrix(conn, info)
        out = {"numpy_load_ms": (time.perf_counter() - start) * 1000}
        for name, backend in DENSE_BACKENDS.items():
            times = []
            for _ in range(repeats):
                q = rng.standard_normal(dim).astype(np.float32)
                q /= np.linalg.norm(q)
                start = time.perf_counter()
                backend(conn, info, q, 50)
                times.append((time.perf_counter() - start) * 1000)
            out[f"{name}_median_ms"] = statistics.median(times)
        conn.close()
    return out


def fusion_grid(conn, embedder) -> list[tuple[FusionConfig, float, float, float]]:
    """Hybrid nDCG@10 (mean, min) and MRR for a small grid of fusion settings."""
    rows = []
    for k in (10, 60):
        for depth in (20, 50):
            for dense_weight in (0.3, 0.5, 0.75, 1.0):
                config = replace(DEFAULT_FUSION, k=k, depth=depth, dense_weight=dense_weight)
                score = evaluate_search(conn, QUERIES, embedder, ["hybrid"], config=config)["hybrid"]
                rows.append((config, score.ndcg, score.worst.ndcg, score.mrr))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense-scale", type=int, default=20000, help="vectors for the backend test")
    parser.add_argument("--grid", action="store_true", help="also print a fusion-settings grid")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    figures: dict[str, object] = {}
    queries = [q.query for q in load_queries(QUERIES)]
    quality: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for model in MODELS:
            start = time.perf_counter()
            conn, n_chunks, failures = ingest(Path(tmp) / f"{model}.duckdb")
            ingest_s = time.perf_counter() - start
            start = time.perf_counter()
            embedder = get_embedder(model)
            load_s = time.perf_counter() - start
            stats = build_index(conn, embedder)
            rate = stats.embedded / stats.embed_seconds if stats.embed_seconds else float("nan")
            print(
                f"[{model}] {n_chunks} chunks from {len(list(DOCS.iterdir())) - len(failures)} docs "
                f"(read+load {ingest_s:.1f} s, {len(failures)} failed); model load {load_s:.1f} s; "
                f"embedded {stats.embedded} in {stats.embed_seconds:.1f} s = {rate:.1f} chunks/s; "
                f"BM25 build {stats.fts_seconds * 1000:.0f} ms"
            )
            for failure in failures:
                print(f"  failed: {failure}")
            figures[f"{model}.chunks_per_s"] = rate
            modes = ["bm25", "dense", "hybrid"] if model == MODELS[0] else ["dense", "hybrid"]
            memo = MemoQueries(embedder)
            report = evaluate_search(conn, QUERIES, memo, modes)
            for mode, score in report.items():
                label = "bm25" if mode == "bm25" else f"{mode}-{model}"
                quality[label] = score
            if model == MODELS[0]:  # the alternative: documents ranked by their best BM25 chunk
                by_chunk = replace(DEFAULT_FUSION, bm25_level="chunk")
                quality["bm25-chunk-level"] = evaluate_search(conn, QUERIES, memo, ["bm25"], config=by_chunk)[
                    "bm25"
                ]
                hybrid = evaluate_search(conn, QUERIES, memo, ["hybrid"], config=by_chunk)["hybrid"]
                quality[f"hybrid-{model}-chunk-level"] = hybrid
            runs = [(m, b) for m in modes for b in (("numpy", "duckdb") if m != "bm25" else ("numpy",))]
            for mode, backend in runs:
                config = replace(DEFAULT_FUSION, dense_backend=backend)
                med, p95 = latency(conn, queries, embedder, mode, config)
                name = f"{mode}-{model}" + ("" if mode == "bm25" else f"[{backend}]")
                print(f"  latency {name:<28} median {med:6.1f} ms   p95 {p95:6.1f} ms")
                figures[f"latency.{name}.median_ms"] = med
                figures[f"latency.{name}.p95_ms"] = p95
            if args.grid and model == MODELS[0]:
                print("  fusion grid (hybrid, e5): k depth dense_weight -> nDCG@10 mean / min, MRR")
                for config, mean, worst, mrr in fusion_grid(conn, memo):
                    print(
                        f"    k={config.k:<4g} depth={config.depth:<4} w_dense={config.dense_weight:<4g}"
                        f" {mean:.3f} / {worst:.3f}  {mrr:.3f}"
                    )
            conn.close()

    print("\nquality on dev (document level, @10):")
    print(f"  {'mode':<20} {'nDCG@10':>8} {'min':>6} {'Recall@10':>10} {'MRR':>6}  worst query")
    for label, score in quality.items():
        worst = score.worst
        print(
            f"  {label:<20} {score.ndcg:8.3f} {worst.ndcg:6.3f} {score.recall:10.3f} {score.mrr:6.3f}"
            f"  {worst.query_id} {worst.query!r}"
        )
        figures[f"ndcg.{label}"] = score.ndcg
        figures[f"ndcg_min.{label}"] = worst.ndcg
        figures[f"recall.{label}"] = score.recall
        figures[f"mrr.{label}"] = score.mrr
    best = max(quality, key=lambda label: quality[label].ndcg)
    print(f"\nper query ({best}):")
    for q in quality[best].queries:
        print(f"  {q.query_id:<4} nDCG {q.ndcg:.3f}  RR {q.rr:.2f}  {q.query!r}: {' '.join(q.ranked[:5])}")

    if args.dense_scale:
        scale = dense_scale(args.dense_scale)
        print(
            f"\ndense backends over {args.dense_scale} random vectors: "
            f"numpy {scale['numpy_median_ms']:.1f} ms "
            f"(one-time load {scale['numpy_load_ms']:.0f} ms), duckdb {scale['duckdb_median_ms']:.1f} ms"
        )
        figures.update({f"dense_scale.{k}": v for k, v in scale.items()})
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
