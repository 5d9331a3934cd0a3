"""Search and site-ranking latency (median, 95th percentile) on the dev corpus and on a synthetic corpus.

Measures `search.query.search` (hybrid, default configuration; also BM25 only and with filters)
and `search.sites.rank_sites` per call, warm (after one warm-up query that loads the indexes),
with every query embedded by the real model; the model load and the first query's index load
are timed and reported apart. Queries: the dev queries plus generated ones (bench/corpus.py's
practices, topics and units, and words of the dev corpus).

The dev corpus (shared/corpus/dev/docs) is read, its facts extracted and embedded without Prefect;
the synthetic corpus (bench/synthetic.py: realistic text, random unit vectors) has --chunks chunks.
Both databases are cached under build/, so a re-run only measures.

    .venv/bin/python bench/bench_sites.py [--chunks 100000] [--repeats 3] [--json bench/results/latency.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import corpus, synthetic  # noqa: E402
from search.embedders import get_embedder  # noqa: E402
from search.evaluate import load_queries  # noqa: E402
from search.filters import SearchFilters  # noqa: E402
from search.query import DEFAULT_FUSION, search  # noqa: E402
from search.sites import rank_sites  # noqa: E402
from warehouse.db import connect  # noqa: E402

DEV = REPO.parent / "shared" / "corpus" / "dev"
DEV_CACHE = REPO / "build" / "bench-dev.duckdb"
RESULTS = REPO / "bench" / "results" / "latency.json"
GENERATED_QUERIES = 30
TARGET_P95_MS = 150.0


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def timed(runs: dict[str, Callable[[str], object]], queries: list[str], repeats: int) -> dict[str, dict]:
    """Milliseconds per call of each operation over every query, `repeats` times, after one warm-up
    call each. The operations take turns query by query, so a change in the shared machine's load
    falls on all of them alike."""
    for fn in runs.values():
        fn(queries[0])
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for q in queries:
            for name, fn in runs.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                fn(q)
                times[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - start_cpu) * 1000)
    out = {}
    for name in runs:
        wall, used = sorted(times[name]), sorted(cpu[name])
        # CPU time of all the process's threads: what a call costs, however busy the machine is.
        out[name] = {"median_ms": statistics.median(wall), "p95_ms": percentile(wall, 0.95),
                     "max_ms": wall[-1], "cpu_median_ms": statistics.median(used),
                     "cpu_p95_ms": percentile(used, 0.95), "calls": len(wall)}  # fmt: skip
    return out


def generated_queries(n: int, seed: int = 11) -> list[str]:
    """Topic queries a participant might type: practices, topics, units, some with a place."""
    rng = random.Random(seed)
    words, _ = synthetic.word_distribution()
    common = words[20:400]
    out: list[str] = []
    while len(out) < n:
        kind = rng.random()
        if kind < 0.3:
            q = rng.choice(corpus.PRACTICES)
        elif kind < 0.5:
            q = f"{rng.choice(corpus.TOPICS)} {rng.choice(corpus.UNITS)}"
        elif kind < 0.7:
            q = f"{rng.choice(corpus.PRACTICES)} {rng.choice(corpus.HOSTS)}"
        else:
            q = " ".join(rng.sample(common, rng.randint(2, 4)))
        if q not in out:
            out.append(q)
    return out


def dev_database(embedder, *, rebuild: bool = False) -> Path:
    """The dev corpus read, its facts extracted and indexed (cached while the dev files are unchanged)."""
    files = sorted((DEV / "docs").iterdir())
    stamp = ",".join(f"{p.name}:{p.stat().st_size}" for p in files) + f"|{embedder.name}"
    if DEV_CACHE.exists() and not rebuild:
        conn = connect(DEV_CACHE, read_only=True)
        row = conn.execute("SELECT value FROM index_state WHERE key = 'bench_dev'").fetchone()
        conn.close()
        if row and row[0] == stamp:
            return DEV_CACHE
    from flows.steps import Target, prepare
    from search.index import build_index
    from warehouse.facts import replace_facts
    from warehouse.load import load_document

    for stale in (DEV_CACHE, DEV_CACHE.with_name(DEV_CACHE.name + ".wal")):
        stale.unlink(missing_ok=True)
    conn = connect(DEV_CACHE)
    for path in files:
        p = prepare(Target(str(path)), path.read_bytes(), None, chunk_chars=800, chunk_overlap=120)
        store = lambda c, d, p=p: replace_facts(c, d.document_id, p.facts)  # noqa: E731
        load_document(conn, p.document, p.chunks, after_load=store)
    build_index(conn, embedder)
    conn.execute("INSERT OR REPLACE INTO index_state VALUES ('bench_dev', ?)", [stamp])
    conn.close()
    return DEV_CACHE


def measure(db: Path, embedder, queries: list[str], repeats: int, label: str) -> dict[str, object]:
    """Latency of each operation on one database, opened read-only as `lokus search` and the web do."""
    conn = connect(db, read_only=True)
    n_chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    start = time.perf_counter()
    search(conn, queries[0], embedder=embedder)  # loads the keyword index and the dense vectors
    out: dict[str, object] = {"chunks": n_chunks, "first_query_ms": (time.perf_counter() - start) * 1000}
    filters = SearchFilters(province="Jawa Timur", year_from=2015, year_to=2019)
    runs = {
        "search": lambda q: search(conn, q, embedder=embedder, top=10),
        "search_bm25": lambda q: search(conn, q, embedder=None, mode="bm25", top=10),
        "search_filtered": lambda q: search(conn, q, embedder=embedder, top=10, filters=filters),
        "sites": lambda q: rank_sites(conn, q, embedder=embedder, top=5),
    }
    for name, figures in timed(runs, queries, repeats).items():
        out[name] = figures
        med, p95, cpu = figures["median_ms"], figures["p95_ms"], figures["cpu_median_ms"]
        print(f"  {label:<10} {name:<16} median {med:7.1f} ms   p95 {p95:7.1f} ms   CPU median {cpu:6.1f} ms")
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000, help="synthetic corpus size (0: dev only)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases under build/")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    figures: dict[str, object] = {
        "machine": {"cores": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                    "load_average_start": os.getloadavg()[0]},
        "dense_backend": DEFAULT_FUSION.dense_backend,
    }  # fmt: skip
    start = time.perf_counter()
    embedder = get_embedder("e5-small-q4")
    figures["model_load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    embedder.embed_query("pemanasan")
    figures["first_query_embedding_ms"] = (time.perf_counter() - start) * 1000
    print(f"model load {figures['model_load_s']:.2f} s, first query embedding "
          f"{figures['first_query_embedding_ms']:.0f} ms (both excluded from the latencies below; "
          "each measured call embeds its query)")  # fmt: skip
    dev_queries = [q.query for q in load_queries(DEV / "queries.json")]
    queries = dev_queries + generated_queries(GENERATED_QUERIES)
    figures["queries"] = {"dev": len(dev_queries), "generated": GENERATED_QUERIES, "repeats": args.repeats}
    corpora = {"dev": dev_database(embedder, rebuild=args.rebuild)}
    if args.chunks:
        path, built = synthetic.ensure(args.chunks, rebuild=args.rebuild)
        if built:
            print(
                f"synthetic corpus of {args.chunks} chunks built: "
                + ", ".join(f"{k} {v:.1f}" for k, v in built.items())
            )
            figures["synthetic_build"] = built
        corpora[f"synthetic-{args.chunks}"] = path
    for label, db in corpora.items():
        figures[label] = measure(db, embedder, queries, args.repeats, label)
    figures["machine"]["load_average_end"] = os.getloadavg()[0]
    print(f"\n{'corpus':<18} {'chunks':>7} {'operation':<16} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}")
    for label in corpora:
        result = figures[label]
        for name in ("search", "search_bm25", "search_filtered", "sites"):
            row = result[name]
            med, p95, cpu = row["median_ms"], row["p95_ms"], row["cpu_median_ms"]
            print(f"{label:<18} {result['chunks']:>7} {name:<16} {med:>10.1f} {p95:>8.1f} {cpu:>7.1f}")
        print(f"{label:<18} {result['chunks']:>7} {'first query':<16} {result['first_query_ms']:>10.0f}")
    if args.chunks:
        p95 = figures[f"synthetic-{args.chunks}"]["search"]["p95_ms"]
        verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
        start_load, end_load = (
            figures["machine"]["load_average_start"],
            figures["machine"]["load_average_end"],
        )
        print(f"\ntarget p95 < {TARGET_P95_MS:.0f} ms for search at {args.chunks} chunks: {verdict} "
              f"({p95:.1f} ms); load average {start_load:.1f} → {end_load:.1f} "
              f"on {os.cpu_count()} cores")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(
        f"figures written to {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}"
    )


if __name__ == "__main__":
    main()
