"""Vector search at scale: exact numpy, the int8 scan + float16 re-rank that search/ann.py uses,
an HNSW graph in usearch, and DuckDB's vss HNSW.

For N random unit 384-d vectors: build time, memory, single-query latency (median, p95) and
recall@10 against exact search, for queries near a stored vector (a chunk's paraphrase) and for
random queries (the hardest case); then what a restart costs (reopen the saved graph) and what
deletes do (10 % removed: recall over the rest). Writes bench/results/ann-<N>.json; asserts
nothing.

    .venv/bin/python bench/bench_ann.py --n 100000 [--vss]      # --vss also times DuckDB vss
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

RESULTS = REPO / "bench" / "results"
DIM, K = 384, 10
HNSW_DTYPE, CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH = "f16", 16, 128, 96  # M, efC, ef
MB = 1_000_000


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / MB


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def data(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    vectors = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):  # in parts: bounded temporary memory
        part = rng.standard_normal((min(100_000, n - start), DIM), dtype=np.float32)
        vectors[start : start + len(part)] = unit(part)
    picked = vectors[rng.choice(n, n_queries, replace=False)]
    near = unit(picked + 0.05 * rng.standard_normal(picked.shape, dtype=np.float32))  # cosine ~0.7
    random = unit(rng.standard_normal((n_queries, DIM), dtype=np.float32))
    return vectors, {"near": near, "random": random}


def exact_top(vectors: np.ndarray, query: np.ndarray, k: int = K) -> np.ndarray:
    scores = vectors @ query
    best = np.argpartition(-scores, k - 1)[:k]
    return best[np.argsort(-scores[best])]


def timed(fn, queries: np.ndarray) -> tuple[list, float, float]:
    """Results of fn per query, and median / p95 latency in ms."""
    fn(queries[0])
    out, times = [], []
    for q in queries:
        start = time.perf_counter()
        out.append(fn(q))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return out, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def recall(found: list, truth: list) -> float:
    pairs = zip(found, truth, strict=True)
    return float(np.mean([len(set(map(int, f[:K])) & set(map(int, t))) / K for f, t in pairs]))


def bench_exact(vectors, queries) -> tuple[dict, dict]:
    row, truth = {"memory_mb": vectors.nbytes / MB}, {}
    for kind, qs in queries.items():
        truth[kind], med, p95 = timed(lambda q: exact_top(vectors, q), qs)
        row[f"{kind}.median_ms"], row[f"{kind}.p95_ms"] = med, p95
    return row, truth


def bench_quantised(vectors, queries, truth) -> dict:
    """search.ann.AnnIndex over the vectors: build, memory, latency, recall, restart, deletes."""
    from search.ann import AnnIndex, quantise

    n = len(vectors)
    start = time.perf_counter()
    codes = np.concatenate([quantise(vectors[s : s + 100_000]) for s in range(0, n, 100_000)])
    rows = vectors.astype(np.float16)
    ids = [f"c{i}" for i in range(n)]
    index = AnnIndex("bench", DIM, 1, list(ids), list(ids), codes, rows)
    row: dict = {"build_s": time.perf_counter() - start, "memory_mb": (codes.nbytes + rows.nbytes) / MB,
                 "scanned_mb_per_query": codes.nbytes / MB}  # fmt: skip
    for kind, qs in queries.items():
        found, med, p95 = timed(lambda q: [int(h[0][1:]) for h in index.top(q, K)], qs)
        row[f"{kind}.recall@10"] = recall(found, truth[kind])
        row[f"{kind}.median_ms"], row[f"{kind}.p95_ms"] = med, p95
    with tempfile.TemporaryDirectory(dir=REPO / "build") as tmp:
        start = time.perf_counter()
        index.save(Path(tmp))
        row["save_s"] = time.perf_counter() - start
        start = time.perf_counter()
        reopened = AnnIndex.load(Path(tmp))
        reopened.top(queries["near"][0], K)
        row["restart_to_first_answer_s"] = time.perf_counter() - start
        found, med, p95 = timed(lambda q, r=reopened: [int(h[0][1:]) for h in r.top(q, K)], queries["near"])
        row["restart.near.recall@10"], row["restart.near.p95_ms"] = recall(found, truth["near"]), p95
        del reopened
    gone = np.random.default_rng(1).choice(n, n // 10, replace=False)
    start = time.perf_counter()
    for k in gone.tolist():
        index.chunk_ids[k] = None
    index.gone = len(gone)
    index.codes[gone] = 0
    row["delete_10pct_s"] = time.perf_counter() - start
    kept_ids = np.setdiff1d(np.arange(n), gone)
    truth_rest = [kept_ids[exact_top(vectors[kept_ids], q)] for q in queries["near"]]
    found, med, p95 = timed(lambda q: [int(h[0][1:]) for h in index.top(q, K)], queries["near"])
    row["after_delete.near.recall@10"], row["after_delete.near.p95_ms"] = recall(found, truth_rest), p95
    return row


def bench_usearch(vectors, queries, truth, folder: Path, ef_values: tuple[int, ...]) -> dict:
    from usearch.index import Index

    before = rss_mb()
    index = Index(ndim=DIM, metric="ip", dtype=HNSW_DTYPE, connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD)  # fmt: skip
    start = time.perf_counter()
    index.add(np.arange(len(vectors), dtype=np.uint64), vectors)
    row: dict = {"build_s": time.perf_counter() - start, "rss_growth_mb": rss_mb() - before,
                 "memory_mb": index.memory_usage / MB, "dtype": HNSW_DTYPE}  # fmt: skip
    for ef in ef_values:
        index.expansion_search = ef
        for kind, qs in queries.items():
            found, med, p95 = timed(lambda q: index.search(q, K).keys, qs)
            row[f"ef{ef}.{kind}.recall@10"] = recall(found, truth[kind])
            row[f"ef{ef}.{kind}.median_ms"], row[f"ef{ef}.{kind}.p95_ms"] = med, p95
    index.expansion_search = EXPANSION_SEARCH
    path = folder / "bench.usearch"
    start = time.perf_counter()
    index.save(str(path))
    row["save_s"] = time.perf_counter() - start
    row["file_mb"] = path.stat().st_size / MB
    for mode in ("view", "load"):  # restart: memory-map the file, or read it into memory
        reopened = Index(ndim=DIM, metric="ip", dtype=HNSW_DTYPE)
        start = time.perf_counter()
        getattr(reopened, mode)(str(path))
        reopened.expansion_search = EXPANSION_SEARCH
        reopened.search(queries["near"][0], K)
        row[f"restart_{mode}_to_first_answer_s"] = time.perf_counter() - start
        found, med, p95 = timed(lambda q, r=reopened: r.search(q, K).keys, queries["near"])
        row[f"restart_{mode}.near.recall@10"] = recall(found, truth["near"])
        row[f"restart_{mode}.near.p95_ms"] = p95
        del reopened
    # deletes: remove 10 % of the vectors, then search what is left
    rng = np.random.default_rng(1)
    gone = rng.choice(len(vectors), len(vectors) // 10, replace=False)
    start = time.perf_counter()
    index.remove(gone.astype(np.uint64))
    row["delete_10pct_s"] = time.perf_counter() - start
    keep = np.ones(len(vectors), dtype=bool)
    keep[gone] = False
    kept_ids = np.flatnonzero(keep)
    rest = vectors[kept_ids]
    truth_rest = [kept_ids[exact_top(rest, q)] for q in queries["near"]]
    found, med, p95 = timed(lambda q: index.search(q, K).keys, queries["near"])
    row["after_delete.near.recall@10"], row["after_delete.near.p95_ms"] = recall(found, truth_rest), p95
    row["after_delete.size"] = len(index)
    return row


def bench_vss(vectors, queries, truth, folder: Path) -> dict:
    import duckdb
    import pyarrow as pa

    from warehouse.db import load_extension

    path = folder / "vss.duckdb"
    conn = duckdb.connect(str(path), config={"autoinstall_known_extensions": False})
    load_extension(conn, "vss")
    conn.execute("SET hnsw_enable_experimental_persistence = true")
    flat = pa.array(vectors.reshape(-1), type=pa.float32())
    table = pa.table({"id": pa.array(np.arange(len(vectors), dtype=np.int64)),
                      "v": pa.FixedSizeListArray.from_arrays(flat, DIM)})  # fmt: skip
    conn.register("arrow_vectors", table)
    conn.execute("CREATE TABLE vecs AS SELECT id, v::FLOAT[384] AS v FROM arrow_vectors")
    before = rss_mb()
    start = time.perf_counter()
    conn.execute("CREATE INDEX hnsw ON vecs USING HNSW (v) WITH (metric = 'ip', M = 16, "
                 "ef_construction = 128)")  # fmt: skip
    row: dict = {"build_s": time.perf_counter() - start, "rss_growth_mb": rss_mb() - before}
    conn.execute("SET hnsw_ef_search = 96")
    sql = "SELECT id FROM vecs ORDER BY array_negative_inner_product(v, ?::FLOAT[384]) LIMIT 10"
    for kind, qs in queries.items():
        found, med, p95 = timed(lambda q: [r[0] for r in conn.execute(sql, [q.tolist()]).fetchall()], qs)
        row[f"{kind}.recall@10"] = recall(found, truth[kind])
        row[f"{kind}.median_ms"], row[f"{kind}.p95_ms"] = med, p95
    plan = conn.execute("EXPLAIN " + sql, [queries["near"][0].tolist()]).fetchall()
    row["uses_index"] = "HNSW" in str(plan).upper()
    conn.execute("CHECKPOINT")
    conn.close()
    row["file_mb"] = path.stat().st_size / MB
    start = time.perf_counter()
    conn = duckdb.connect(str(path), config={"autoinstall_known_extensions": False})
    load_extension(conn, "vss")
    conn.execute("SET hnsw_enable_experimental_persistence = true")
    conn.execute("SET hnsw_ef_search = 96")
    conn.execute(sql, [queries["near"][0].tolist()]).fetchall()
    row["restart_to_first_answer_s"] = time.perf_counter() - start

    def ask(q):
        return [r[0] for r in conn.execute(sql, [q.tolist()]).fetchall()]

    found, med, p95 = timed(ask, queries["near"])
    row["restart.near.recall@10"], row["restart.near.p95_ms"] = recall(found, truth["near"]), p95
    start = time.perf_counter()
    conn.execute("DELETE FROM vecs WHERE id % 10 = 3")
    row["delete_10pct_s"] = time.perf_counter() - start
    keep = np.arange(len(vectors)) % 10 != 3
    kept_ids = np.flatnonzero(keep)
    truth_rest = [kept_ids[exact_top(vectors[kept_ids], q)] for q in queries["near"]]
    found, med, p95 = timed(ask, queries["near"])
    row["after_delete.near.recall@10"], row["after_delete.near.p95_ms"] = recall(found, truth_rest), p95
    conn.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--vss", action="store_true", help="also DuckDB's vss HNSW (slow to build)")
    parser.add_argument("--no-hnsw", dest="hnsw", action="store_false", help="skip usearch's HNSW")
    parser.add_argument("--ef", type=int, nargs="*", default=[32, 64, 96, 128])
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    report: dict = {"n": args.n, "dim": DIM, "queries": args.queries,
                    "load_average": float(Path("/proc/loadavg").read_text().split()[0])}  # fmt: skip
    start = time.perf_counter()
    vectors, queries = data(args.n, args.queries)
    took = time.perf_counter() - start
    print(f"{args.n} random unit {DIM}-d vectors ({vectors.nbytes / MB:.0f} MB) in {took:.1f} s")
    report["exact"], truth = bench_exact(vectors, queries)
    print(f"exact numpy: {json.dumps(report['exact'])}")
    report["quantised_scan"] = bench_quantised(vectors, queries, truth)
    print(f"int8 scan + float16 re-rank: {json.dumps(report['quantised_scan'], indent=1)}")
    with tempfile.TemporaryDirectory(dir=REPO / "build") as tmp:
        if args.hnsw:
            report["usearch_hnsw"] = bench_usearch(vectors, queries, truth, Path(tmp), tuple(args.ef))
            print(f"usearch HNSW: {json.dumps(report['usearch_hnsw'], indent=1)}")
        if args.vss:
            report["duckdb_vss"] = bench_vss(vectors, queries, truth, Path(tmp))
            print(f"DuckDB vss HNSW: {json.dumps(report['duckdb_vss'], indent=1)}")
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    report["load_average_end"] = float(Path("/proc/loadavg").read_text().split()[0])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"ann-{args.n}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
