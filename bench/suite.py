"""The benchmark suite: every ingest and search stage on a generated corpus of a chosen size.

    .venv/bin/python bench/suite.py --size 10000        # `make bench-suite` runs 1000 and 10000

Stages (no Prefect: the steps are called directly, as the flow's tasks call them):
generate the corpus (bench/corpus.py, cached under build/bench-corpus/) → read (pages/s) →
chunk → facts (facts/s) → load into DuckDB → embed (chunks/s; above --embed-all-max chunks
only a sample is embedded and the rest get stand-in vectors, the figures say so and extrapolate)
→ index (BM25 + the dense index) → database size → search and site-ranking latency → re-run
over the unchanged corpus → Prefect start-up (in a fresh process, reported apart).
Peak memory is sampled per stage (resident set size, every 20 ms). Figures are written to
bench/results/suite-<size>.json and printed as a table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.corpus import generate  # noqa: E402

RESULTS = REPO / "bench" / "results"
CORPORA = REPO / "build" / "bench-corpus"
MB = 1_000_000
QUERIES = (
    "inovasi mal pelayanan publik", "bank sampah digital", "perizinan daring terpadu",
    "posyandu remaja untuk penurunan stunting", "arsip elektronik Bappeda", "jemput bola KTP-el",
    "sekolah wirausaha desa", "satu data daerah", "pengaduan warga daring", "koperasi pemuda",
    "benchmarking PKA ke Kabupaten Banyuwangi", "Diklatpim Tingkat III Kota Surabaya",
    "indeks kepuasan masyarakat", "pajak daerah nontunai", "sistem merit ASN BKPSDM",
    "ambulans desa", "rumah sakit tanpa antrean", "e-budgeting Kota Bandung",
    "smart kampung Banyuwangi", "klinik UMKM Dinas Koperasi", "public service mall innovation",
    "digital waste bank", "online business licensing", "stunting reduction programme",
    "village digital transformation", "Adipura Kencana", "Anugerah Pangripta Nusantara",
    "proyek perubahan peserta", "regulasi Peraturan Bupati inovasi", "pendapatan asli daerah",
)  # fmt: skip


def rss_mb() -> float:
    """Resident set size of this process now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / MB


class MemorySampler:
    """Samples this process's RSS every `interval` s; `peak()` is the largest since `reset()`."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self._peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._peak = max(self._peak, rss_mb())

    def reset(self) -> None:
        self._peak = rss_mb()

    def peak(self) -> float:
        return max(self._peak, rss_mb())

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Suite:
    """Figures collected while the suite runs."""

    size: int
    stages: dict[str, dict] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)
    sampler: MemorySampler = field(default_factory=MemorySampler)

    @contextmanager
    def stage(self, name: str, **extra: object):
        """Time a stage and record its peak RSS; the block may add figures to the yielded dict."""
        row: dict = dict(extra)
        self.sampler.reset()
        started = time.perf_counter()
        yield row
        row["seconds"] = time.perf_counter() - started
        row["peak_rss_mb"] = self.sampler.peak()
        self.stages[name] = row
        print(f"  {name:<24} {row['seconds']:9.2f} s  peak RSS {row['peak_rss_mb']:7.0f} MB  "
              + "  ".join(f"{k}={_fmt(v)}" for k, v in row.items()
                          if k not in ("seconds", "peak_rss_mb")), flush=True)  # fmt: skip


def _fmt(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def percentiles(times_ms: list[float]) -> tuple[float, float]:
    """(median, 95th percentile) of a list of milliseconds."""
    ordered = sorted(times_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def machine() -> dict[str, object]:
    """Where the figures came from."""
    import duckdb

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))  # fmt: skip
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(mem / 1024 / 1024, 1),
        "load_average_at_start": float(Path("/proc/loadavg").read_text().split()[0]),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def count_facts(facts) -> int:
    lists = (facts.visits, facts.groups, facts.origins, facts.host_units, facts.awards, facts.practices,
             facts.people, facts.metrics, facts.dates)  # fmt: skip
    return sum(len(rows) for rows in lists) + (facts.site is not None)


class StandInEmbedder:
    """Deterministic unit vectors from a text's hash: fills the vectors a sample run did not embed
    (so the index, database size and search run at full size); never used for quality figures."""

    def __init__(self, name: str, dim: int) -> None:
        self.name, self.dim = name, dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            row = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = row / np.linalg.norm(row)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]


def read_stage(suite: Suite, folder: Path, files: list[str], workers: int) -> list:
    """Read every file; pages/s over PDFs, documents/s over HTML."""
    from extract.errors import ReadError
    from extract.parallel import read_files

    docs = []
    errors: dict[str, int] = {}
    per_kind = {"pdf": [0, 0, 0.0], "html": [0, 0, 0.0]}  # files, pages, seconds (in-worker)
    with suite.stage("read", workers=workers) as row:
        for path, result, seconds in read_files([folder / f for f in files], workers=workers):
            kind = "pdf" if path.suffix == ".pdf" else "html"
            if isinstance(result, ReadError):
                errors[type(result).__name__] = errors.get(type(result).__name__, 0) + 1
                continue
            docs.append((path, result))
            per_kind[kind][0] += 1
            per_kind[kind][1] += len(result.pages)
            per_kind[kind][2] += seconds
        row["documents"] = len(docs)
        row["pdf_pages"] = per_kind["pdf"][1]
        row["errors"] = errors or 0
    wall = suite.stages["read"]["seconds"]
    pdf_files, pdf_pages, pdf_s = per_kind["pdf"]
    html_files, _, html_s = per_kind["html"]
    suite.figures["read.pdf_pages_per_s_per_core"] = pdf_pages / pdf_s if pdf_s else None
    suite.figures["read.html_docs_per_s_per_core"] = html_files / html_s if html_s else None
    suite.figures["read.pages_per_s_wall"] = (pdf_pages + html_files) / wall
    suite.figures["read.pdf_text_engine"] = _pdf_engine()
    return docs


def _pdf_engine() -> str:
    try:
        from extract.readers.pdf import text_engine

        return text_engine()
    except ImportError:
        return "pdfplumber"


def run(args: argparse.Namespace) -> Suite:
    from extract.facts import extract_facts
    from lokus.settings import get_settings
    from search.chunking import chunk_document
    from search.embedders import get_embedder
    from search.index import build_index, index_info, store_embeddings
    from warehouse.db import connect
    from warehouse.facts import replace_facts
    from warehouse.index_pending import clear_index_pending, index_needed, pending_since
    from warehouse.load import known_sha256, load_many

    suite = Suite(args.size)
    suite.figures["machine"] = machine()
    settings = get_settings()
    folder = CORPORA / str(args.size)
    print(f"suite at {args.size} chunks; corpus in {folder}", flush=True)
    with suite.stage("generate corpus") as row:
        manifest = generate(folder, args.size, quiet=True)
        row["documents"] = len(manifest.documents)
        row["pdf_pages"] = manifest.pdf_pages
    files = manifest.files

    docs = read_stage(suite, folder, files, args.workers)

    with suite.stage("chunk") as row:
        size, overlap = settings.chunk_chars, settings.chunk_overlap
        chunked = [(doc, chunk_document(doc, target_chars=size, overlap_chars=overlap)) for _, doc in docs]
        row["chunks"] = sum(len(c) for _, c in chunked)
    n_chunks = suite.stages["chunk"]["chunks"]

    with suite.stage("facts") as row:
        facts = [extract_facts(doc) for doc, _ in chunked]
        row["facts"] = sum(count_facts(f) for f in facts)
    suite.figures["facts.per_s"] = suite.stages["facts"]["facts"] / suite.stages["facts"]["seconds"]
    suite.figures["facts.docs_per_s"] = len(facts) / suite.stages["facts"]["seconds"]

    db_path = Path(args.workdir) / f"suite-{args.size}.duckdb"
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    with suite.stage("load") as row:
        conn = connect(db_path)
        items = []
        for (doc, chunks), fact_set in zip(chunked, facts, strict=True):
            items.append((doc, chunks, lambda c, d, f=fact_set: replace_facts(c, d.document_id, f)))
        for start in range(0, len(items), 64):
            load_many(conn, items[start : start + 64])
        row["documents"] = len(items)

    embedder = get_embedder(args.model)
    texts = conn.execute("SELECT DISTINCT text FROM chunks ORDER BY text").fetchall()
    distinct = len(texts)
    sample = distinct if distinct <= args.embed_all_max else min(args.embed_sample, distinct)
    with suite.stage("embed", model=embedder.name, embedded=sample, distinct_texts=distinct) as row:
        rng = np.random.default_rng(0)
        chosen = [texts[i][0] for i in sorted(rng.choice(distinct, size=sample, replace=False))]
        embed_started = time.perf_counter()
        vectors = embedder.embed_passages(chosen)
        embed_s = time.perf_counter() - embed_started
        rate = sample / embed_s
        row["chunks_per_s"] = rate
        hashes = [hashlib.sha256(t.encode()).hexdigest() for t in chosen]
        store_embeddings(conn, embedder.name, hashes, vectors)
    suite.figures["embed.chunks_per_s"] = rate
    suite.figures["embed.sample"] = sample
    suite.figures["embed.extrapolated_s_all"] = distinct / rate
    if sample < distinct:  # the rest get stand-in vectors so the index is full size
        with suite.stage("stand-in vectors", vectors=distinct - sample):
            build_index(conn, StandInEmbedder(embedder.name, embedder.dim), batch_size=2048)

    with suite.stage("index") as row:
        seen = pending_since(conn)
        stats = build_index(conn, embedder)
        clear_index_pending(conn, seen)
        row["bm25_s"] = stats.fts_seconds
        row["embedded_now"] = stats.embedded
        row.update(_dense_index(conn, embedder, args))
    conn.execute("CHECKPOINT")
    size = db_path.stat().st_size
    suite.figures["db.size_mb"] = size / MB
    suite.figures["db.bytes_per_chunk"] = size / max(n_chunks, 1)
    print(f"  database {size / MB:.1f} MB ({size / max(n_chunks, 1):.0f} bytes a chunk)", flush=True)

    latency_stage(suite, conn, embedder, index_info(conn), args)
    conn.close()

    first_run = sum(suite.stages[s]["seconds"] for s in ("read", "chunk", "facts", "load", "embed", "index"))
    first_full = first_run - suite.stages["embed"]["seconds"] + distinct / rate
    suite.figures["first_run.s_measured"] = first_run
    suite.figures["first_run.s_with_all_embedding"] = first_full

    with suite.stage("re-run unchanged") as row:
        conn = connect(db_path)
        known = known_sha256(conn)
        changed = 0
        for f in files:
            path = (folder / f).resolve()
            if known.get(str(path)) != hashlib.sha256(path.read_bytes()).hexdigest():
                changed += 1
        row["changed"] = changed
        row["index_needed"] = index_needed(conn)
        conn.close()
    rerun = suite.stages["re-run unchanged"]["seconds"]
    suite.figures["rerun.s"] = rerun
    suite.figures["rerun.percent_of_first_run"] = 100 * rerun / first_full
    if args.prefect:
        suite.figures["prefect.startup_s"] = prefect_startup()
    suite.figures["peak_rss_mb_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    suite.sampler.stop()
    return suite


def _dense_index(conn, embedder, args) -> dict[str, object]:
    """Build (or load) the dense index search will use; its kind and build time."""
    try:
        from search.dense import prepare_dense
    except ImportError:
        from search.dense import dense_matrix
        from search.index import index_info

        started = time.perf_counter()
        dense_matrix(conn, index_info(conn))
        return {"dense": "numpy matrix", "dense_build_s": time.perf_counter() - started}
    from search.index import index_info

    started = time.perf_counter()
    kind = prepare_dense(conn, index_info(conn))
    return {"dense": kind, "dense_build_s": time.perf_counter() - started}


def latency_stage(suite: Suite, conn, embedder, info, args) -> None:
    """Search (hybrid, BM25, dense) and site-ranking latency: median and p95 in ms."""
    from search.query import search

    search(conn, QUERIES[0], embedder=embedder, mode="hybrid")  # warm caches and the dense index
    for mode in ("hybrid", "bm25", "dense"):
        times = []
        for _ in range(args.repeats):
            for q in QUERIES:
                started = time.perf_counter()
                search(conn, q, embedder=embedder, mode=mode)
                times.append((time.perf_counter() - started) * 1000)
        med, p95 = percentiles(times)
        suite.figures[f"search.{mode}.median_ms"] = med
        suite.figures[f"search.{mode}.p95_ms"] = p95
        print(f"  search {mode:<8} median {med:7.1f} ms  p95 {p95:7.1f} ms  ({len(times)} queries)")
    try:
        from lokus.web.sites import list_sites
    except ImportError:
        return
    times = []
    for _ in range(max(args.repeats * 5, 10)):
        started = time.perf_counter()
        sites = list_sites(conn)
        times.append((time.perf_counter() - started) * 1000)
    med, p95 = percentiles(times)
    suite.figures["sites.ranking.median_ms"] = med
    suite.figures["sites.ranking.p95_ms"] = p95
    suite.figures["sites.count"] = len(sites)
    print(f"  site ranking     median {med:7.1f} ms  p95 {p95:7.1f} ms  ({len(sites)} sites)")


def prefect_startup() -> float:
    """Seconds for a fresh process to import Prefect and finish one empty flow run."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from prefect import flow\n"
        "@flow(name='suite-noop')\n"
        "def noop():\n    return 1\n"
        "noop(); print(time.perf_counter() - t)\n"
    )
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    try:
        seconds = float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"  Prefect start-up failed: {out.stderr[-400:]}")
        return float("nan")
    print(f"  Prefect start-up (import + first empty flow run, fresh process) {seconds:.1f} s")
    return seconds


def table(suite: Suite) -> str:
    """The short table printed at the end (and quoted in the README)."""
    f = suite.figures
    st = suite.stages
    rows = [
        ("documents / PDF pages / chunks",
         f"{st['read']['documents']} / {st['read']['pdf_pages']} / {st['chunk']['chunks']}"),
        ("read: PDF pages/s per core", _num(f["read.pdf_pages_per_s_per_core"])
         + f" ({f['read.pdf_text_engine']})"),
        ("read: HTML documents/s per core", _num(f["read.html_docs_per_s_per_core"])),
        (f"read: pages/s wall ({st['read']['workers']} worker(s))", _num(f["read.pages_per_s_wall"])),
        ("facts/s (documents/s)", f"{_num(f['facts.per_s'])} ({_num(f['facts.docs_per_s'])})"),
        ("load s", _num(st["load"]["seconds"])),
        (f"embed chunks/s ({st['embed']['model']}, {f['embed.sample']} embedded)",
         _num(f["embed.chunks_per_s"])),
        ("index build s (BM25 + dense)", f"{_num(st['index']['seconds'])} (BM25 "
         f"{_num(st['index']['bm25_s'])}, {st['index']['dense']} {_num(st['index']['dense_build_s'])})"),
        ("database MB", _num(f["db.size_mb"])),
        ("peak RSS MB (largest stage)", _num(max(s["peak_rss_mb"] for s in st.values()))),
        ("search hybrid median / p95 ms",
         f"{_num(f['search.hybrid.median_ms'])} / {_num(f['search.hybrid.p95_ms'])}"),
        ("search dense median / p95 ms",
         f"{_num(f['search.dense.median_ms'])} / {_num(f['search.dense.p95_ms'])}"),
        ("site ranking median / p95 ms",
         f"{_num(f.get('sites.ranking.median_ms'))} / {_num(f.get('sites.ranking.p95_ms'))}"),
        ("first run s (measured; with all embedding)",
         f"{_num(f['first_run.s_measured'])}; {_num(f['first_run.s_with_all_embedding'])}"),
        ("re-run unchanged s (% of first run)",
         f"{_num(f['rerun.s'])} ({f['rerun.percent_of_first_run']:.2f} %)"),
        ("Prefect start-up s (apart)", _num(f.get("prefect.startup_s"))),
    ]  # fmt: skip
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def _num(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:,.0f}"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="chunks: 1000, 10000 or 100000")
    parser.add_argument("--model", default=None, help="embedding model (default: LOKUS_MODEL)")
    parser.add_argument("--workers", type=int, default=1, help="reader processes (1: in this process)")
    parser.add_argument("--embed-all-max", type=int, default=2000,
                        help="embed every chunk up to this many distinct texts, else a sample")
    parser.add_argument("--embed-sample", type=int, default=1000, help="texts embedded above that")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the query set")
    parser.add_argument("--no-prefect", dest="prefect", action="store_false")
    parser.add_argument("--workdir", type=Path, default=REPO / "build")
    args = parser.parse_args()
    if args.model is None:
        from lokus.settings import get_settings

        args.model = get_settings().model
    args.workdir.mkdir(parents=True, exist_ok=True)
    suite = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"suite-{args.size}.json"
    out.write_text(json.dumps({"size": args.size, "stages": suite.stages, "figures": suite.figures},
                              indent=2, default=str), encoding="utf-8")  # fmt: skip
    print(f"\n{table(suite)}\n\nwritten to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
