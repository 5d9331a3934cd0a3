"""Ingest speed for a folder source: first run, re-run with nothing changed, re-run after edits.

Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_ingest.py [N] [--model M]
N invented documents (a third each PDF, HTML and text, one search chunk each) are written to a
temporary folder listed by a folder source, then ingested by the real `ingest_source` flow three
times. Prefect's start-up (the temporary server of a process's first flow run) is timed apart;
embedding is shown separately from the rest of each run. Also compares parsing in threads only
with parsing in worker processes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from tests.generated_docs import change_document, write_documents  # noqa: E402


def line(label: str, value: str) -> None:
    print(f"{label:<58} {value}", flush=True)


def show_run(label: str, summary, wall: float) -> None:
    seconds = summary.seconds
    embed = seconds.get("embed", 0.0)
    line(f"{label}: wall time", f"{wall:8.2f} s")
    line(
        f"{label}: counts",
        f"new {summary.new}, updated {summary.updated}, unchanged "
        f"{summary.unchanged}, withdrawn {summary.withdrawn}, failed {summary.failed}",
    )
    phases = ", ".join(f"{name} {value:.2f}" for name, value in seconds.items() if name != "total")
    line(f"{label}: phases (s)", phases)
    line(f"{label}: embedding ({summary.chunks_embedded} texts)", f"{embed:8.2f} s")
    line(f"{label}: wall time without embedding", f"{wall - embed:8.2f} s")


def bench_parse(paths: list[Path], workers: int) -> float:
    """Documents per second through `prepare`, 8 threads feeding a Parser with `workers`."""
    from flows.parsing import Parser
    from flows.steps import Target

    data = [(Target(str(p)), p.read_bytes()) for p in paths]
    with Parser(chunk_chars=800, chunk_overlap=120, workers=workers, inline_first=0) as parser:
        with ThreadPoolExecutor(8) as pool:  # every worker started and warmed outside the timing
            list(pool.map(lambda item: parser.parse(item[0], item[1], None), data[:16]))
            started = time.perf_counter()
            list(pool.map(lambda item: parser.parse(item[0], item[1], None), data))
        return len(data) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--model", default=None, help="embedding model (default: LOKUS_MODEL)")
    parser.add_argument("--changed", type=int, default=10)
    args = parser.parse_args()

    from prefect import flow

    from flows.ingest import ingest_source

    @flow(name="bench-noop")
    def noop() -> None:
        return None

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        paths = write_documents(root / "laporan", args.n)
        size = sum(p.stat().st_size for p in paths)
        line(f"generate {args.n} documents ({size / 1e6:.1f} MB)", f"{time.perf_counter() - started:8.2f} s")
        sources = root / "sources.yaml"
        sources.write_text(f"sources:\n  - name: bench\n    kind: folder\n    location: {root / 'laporan'}\n")
        db = str(root / "lokus.duckdb")

        started = time.perf_counter()
        noop()
        line("Prefect start-up (temporary server, first flow run)", f"{time.perf_counter() - started:8.2f} s")
        started = time.perf_counter()
        noop()
        line("Prefect overhead of one more (empty) flow run", f"{time.perf_counter() - started:8.2f} s")

        def run(label: str):
            begun = time.perf_counter()
            summary = ingest_source("bench", str(sources), db_path=db, model=args.model)
            wall = time.perf_counter() - begun
            show_run(label, summary, wall)
            return summary, wall

        first, t_first = run("first run")
        again, t_again = run("re-run, nothing changed")
        line("re-run / first run (target < 5 %)", f"{100 * t_again / t_first:8.2f} %")
        line(
            "re-run / first run without embedding",
            f"{100 * t_again / (t_first - first.seconds.get('embed', 0.0)):8.2f} %",
        )
        for i, path in enumerate(paths[: args.changed]):
            change_document(path, i, version=1)
        changed, t_changed = run(f"re-run after changing {args.changed} documents")
        line(f"re-run after {args.changed} changes / first run", f"{100 * t_changed / t_first:8.2f} %")

        sample = paths[: min(len(paths), 240)]
        threads = bench_parse(sample, workers=0)
        processes = bench_parse(sample, workers=2)
        line(f"parse {len(sample)} documents, 8 threads, no worker process", f"{threads:8.1f} docs/s")
        line(f"parse {len(sample)} documents, 8 threads feeding 2 worker processes",
             f"{processes:8.1f} docs/s")
        line("CPU cores available to this process", f"{len(os.sched_getaffinity(0)):8d}")


if __name__ == "__main__":
    main()
