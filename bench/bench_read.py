"""Reading speed and memory: every dev document, then the real-world PDFs.

Prints files/s, pages/s, MB/s per format and corpus, the slowest files, and the process's
resident memory (to show it stays bounded on big PDFs). Asserts nothing.
Run: .venv/bin/python bench/bench_read.py [--no-pdf-corpus]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.errors import ReadError  # noqa: E402
from extract.read import SUPPORTED_SUFFIXES, read_path  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = {  # name: (folder, suffixes read)
    "dev docs": (SHARED / "corpus" / "dev" / "docs", SUPPORTED_SUFFIXES),
    "real PDFs": (SHARED / "corpus" / "pdf", {".pdf"}),
}
WARM_UP = Path(__file__).resolve().parents[1] / "samples"
MB = 1_000_000


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / MB


def bench(name: str, folder: Path, suffixes: set[str] | frozenset[str]) -> None:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])  # files pages bytes s
    errors: dict[str, int] = defaultdict(int)
    timings = []
    peak_growth = (0.0, "")
    for path in files:
        before = rss_mb()
        start = time.perf_counter()
        try:
            doc = read_path(path)
            kind, pages = doc.doc_type, len(doc.pages)
        except ReadError as exc:
            kind, pages = "error", 0
            errors[type(exc).__name__] += 1
        elapsed = time.perf_counter() - start
        growth = rss_mb() - before
        if growth > peak_growth[0]:
            peak_growth = (growth, path.name)
        size = path.stat().st_size
        for key in (kind, "all"):
            row = totals[key]
            row[0] += 1
            row[1] += pages
            row[2] += size
            row[3] += elapsed
        timings.append((elapsed, path.name, pages, size))

    print(f"\n== {name}: {folder}")
    print(f"{'format':<8} {'files':>6} {'pages':>6} {'MB':>7} {'s':>7} "
          f"{'files/s':>8} {'pages/s':>8} {'MB/s':>7}")  # fmt: skip
    for kind in sorted(totals, key=lambda k: (k == "all", k)):
        files_n, pages_n, size_n, secs = totals[kind]
        secs = max(secs, 1e-9)
        print(
            f"{kind:<8} {files_n:>6.0f} {pages_n:>6.0f} {size_n / MB:>7.2f} {secs:>7.2f} "
            f"{files_n / secs:>8.1f} {pages_n / secs:>8.1f} {size_n / MB / secs:>7.2f}"
        )
    if errors:
        print("read errors: " + ", ".join(f"{k} x{v}" for k, v in sorted(errors.items())))
    print("slowest:")
    for elapsed, file_name, pages, size in sorted(timings, reverse=True)[:5]:
        print(f"  {elapsed:6.2f} s  {pages:4d} pages  {size / MB:6.2f} MB  {file_name}")
    print(f"largest RSS growth while reading one file: {peak_growth[0]:.1f} MB ({peak_growth[1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf-corpus", action="store_true", help="only the dev documents")
    args = parser.parse_args()
    start_rss = rss_mb()
    for path in sorted(WARM_UP.iterdir()):  # imports, parsers and the language model load once
        if path.suffix in SUPPORTED_SUFFIXES:
            read_path(path)
    print(f"load average {Path('/proc/loadavg').read_text().split()[0]} on this machine")
    for name, (folder, suffixes) in CORPORA.items():
        if name == "real PDFs" and args.no_pdf_corpus:
            continue
        bench(name, folder, suffixes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"\nRSS at start {start_rss:.0f} MB, now {rss_mb():.0f} MB, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
