"""PDF text engines compared: pdfplumber on every page versus the 'fast' engine (PDFium's text for
pages without ruled lines, pdfplumber for the rest).

For each PDF of the generated bench corpus, the shared real-world PDFs and the dev PDFs: reading
speed of both engines, token-level F1 of each page's text (pdfplumber as reference), whether the
tables and the extracted facts are identical, and the share of pages that took the fast path.
Then the peak memory of reading a generated 1,000-page PDF with each engine (in a fresh process).
Prints figures and writes bench/results/pdf_text.json; asserts nothing.

    .venv/bin/python bench/bench_pdf_text.py [--corpus-size 1000] [--long-pages 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import generate, long_pdf  # noqa: E402
from extract.errors import ReadError  # noqa: E402
from extract.facts import extract_facts  # noqa: E402
from extract.language import detect_language  # noqa: E402
from extract.readers.pdf import fast_texts, read_pdf  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "bench" / "results"
ENGINES = ("pdfplumber", "fast")


def token_f1(reference: str, candidate: str) -> float:
    """F1 of the multisets of whitespace-separated tokens (1.0 when both are empty)."""
    ref, cand = Counter(reference.split()), Counter(candidate.split())
    if not ref and not cand:
        return 1.0
    common = sum((ref & cand).values())
    if not common:
        return 0.0
    precision, recall = common / sum(cand.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def facts_key(doc) -> dict:
    """The document's facts without evidence sentences (those keep the engine's line breaks)."""
    doc.language = detect_language(doc.text)
    data = asdict(extract_facts(doc))

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "evidence"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


def compare(files: list[Path]) -> dict[str, object]:
    """Both engines over the files: speed, text F1, identical tables and facts."""
    seconds = dict.fromkeys(ENGINES, 0.0)
    pages = fast_pages = 0
    f1s: list[float] = []
    same_tables = same_facts = same_text = docs = 0
    differing: list[str] = []
    for path in files:
        data = path.read_bytes()
        results = {}
        for engine in ENGINES:
            started = time.perf_counter()
            try:
                results[engine] = read_pdf(data, str(path), engine=engine)
            except ReadError as exc:
                results[engine] = exc
            seconds[engine] += time.perf_counter() - started
        slow, fast = results["pdfplumber"], results["fast"]
        if isinstance(slow, ReadError) or isinstance(fast, ReadError):
            if type(slow) is not type(fast):
                differing.append(f"{path.name}: {type(slow).__name__} vs {type(fast).__name__}")
            continue
        docs += 1
        pages += len(slow.pages)
        fast_pages += sum(text is not None for text in fast_texts(data))
        page_f1 = [token_f1(a.text, b.text) for a, b in zip(slow.pages, fast.pages, strict=True)]
        f1s.extend(page_f1)
        same_text += slow.text == fast.text
        same_tables += slow.tables == fast.tables
        facts_equal = facts_key(slow) == facts_key(fast)
        same_facts += facts_equal
        if not facts_equal:
            differing.append(f"{path.name}: facts differ (min page F1 {min(page_f1):.3f})")
    return {
        "files": len(files),
        "documents": docs,
        "pages": pages,
        "fast_path_pages": fast_pages,
        "pdfplumber_pages_per_s": pages / seconds["pdfplumber"] if seconds["pdfplumber"] else None,
        "fast_pages_per_s": pages / seconds["fast"] if seconds["fast"] else None,
        "speedup": seconds["pdfplumber"] / seconds["fast"] if seconds["fast"] else None,
        "page_token_f1_mean": sum(f1s) / len(f1s) if f1s else None,
        "page_token_f1_min": min(f1s) if f1s else None,
        "documents_same_text": same_text,
        "documents_same_tables": same_tables,
        "documents_same_facts": same_facts,
        "differences": differing,
    }


def long_pdf_memory(pages: int, engine: str, path: Path) -> dict[str, float]:
    """Peak RSS (MB) and seconds of reading one long PDF, in a fresh process."""
    code = (
        "import resource, sys, time; sys.path.insert(0, sys.argv[1])\n"
        "from extract.readers.pdf import read_pdf\n"
        "data = open(sys.argv[2], 'rb').read(); base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.perf_counter(); doc = read_pdf(data, 'long.pdf', engine=sys.argv[3])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(time.perf_counter() - t, base / 1000, peak / 1000, len(doc.pages), len(doc.tables))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(REPO), str(path), engine],
                         capture_output=True, text=True, check=True)  # fmt: skip
    seconds, base, peak, n_pages, n_tables = out.stdout.split()
    return {"seconds": float(seconds), "rss_before_mb": float(base), "peak_rss_mb": float(peak),
            "pages": int(n_pages), "tables": int(n_tables)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-size", type=int, default=1000)
    parser.add_argument("--long-pages", type=int, default=1000)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    corpus = REPO / "build" / "bench-corpus" / str(args.corpus_size)
    manifest = generate(corpus, args.corpus_size, quiet=True)
    sets = {
        f"generated ({args.corpus_size} chunks)": [corpus / f for f in manifest.files if f.endswith(".pdf")],
        "shared real-world PDFs": sorted((SHARED / "pdf").glob("*.pdf")),
        "dev PDFs": sorted((SHARED / "dev" / "docs").glob("*.pdf")),
    }
    report: dict[str, object] = {"load_average": Path("/proc/loadavg").read_text().split()[0]}
    for name, files in sets.items():
        row = compare(files)
        report[name] = row
        print(f"\n== {name}: {row['documents']} PDFs, {row['pages']} pages "
              f"({row['fast_path_pages']} on the fast path)")  # fmt: skip
        print(f"  pdfplumber {row['pdfplumber_pages_per_s']:.1f} pages/s, fast {row['fast_pages_per_s']:.1f}"
              f" pages/s: x{row['speedup']:.1f}")  # fmt: skip
        print(f"  page token F1 mean {row['page_token_f1_mean']:.4f}, min {row['page_token_f1_min']:.4f}")
        print(f"  identical: text {row['documents_same_text']}, tables {row['documents_same_tables']}, "
              f"facts {row['documents_same_facts']} of {row['documents']}")  # fmt: skip
        for line in row["differences"]:
            print(f"  - {line}")

    if args.long_pages:
        path = REPO / "build" / f"long-{args.long_pages}.pdf"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(long_pdf(args.long_pages))
        size = path.stat().st_size / 1e6
        print(f"\n== one {args.long_pages}-page PDF ({size:.1f} MB), each engine in a fresh process:")
        for engine in ENGINES:
            row = long_pdf_memory(args.long_pages, engine, path)
            report[f"long_pdf.{engine}"] = row
            print(f"  {engine:<10} {row['seconds']:7.1f} s, peak RSS {row['peak_rss_mb']:.0f} MB "
                  f"(after imports {row['rss_before_mb']:.0f} MB), {row['tables']} tables")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pdf_text.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
