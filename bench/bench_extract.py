"""Facts extraction speed: documents and facts per second over the shared corpora.

Reads every file once (reading is not timed), then times extract_facts over them. Prints figures;
asserts nothing. Run: .venv/bin/python bench/bench_extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract.errors import ReadError  # noqa: E402
from extract.facts import extract_facts  # noqa: E402
from extract.facts.regions import gazetteer  # noqa: E402
from extract.read import read_path  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"


def count_facts(facts) -> int:
    lists = (facts.visits, facts.groups, facts.origins, facts.host_units, facts.awards, facts.practices)
    lists += (facts.people, facts.metrics, facts.dates)
    return sum(len(rows) for rows in lists) + (facts.site is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    gazetteer()
    print(f"gazetteer load: {time.perf_counter() - started:.2f} s ({len(gazetteer().regions)} regions)")

    docs = []
    for folder in (SHARED / "dev" / "docs", SHARED / "pdf"):
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".pdf", ".html", ".txt"):
                with contextlib.suppress(ReadError):  # unreadable files are the readers' benchmark
                    docs.append((path.name, read_path(path)))
    chars = sum(len(d.text) for _, d in docs)
    tables = sum(len(d.tables) for _, d in docs)
    print(f"documents: {len(docs)} ({chars / 1e6:.2f} M characters, {tables} tables)")

    runs, facts_total, slowest = [], 0, (0.0, "")
    for _ in range(args.repeat):
        run_started = time.perf_counter()
        facts_total = 0
        for name, doc in docs:
            t = time.perf_counter()
            facts = extract_facts(doc)
            elapsed = time.perf_counter() - t
            slowest = max(slowest, (elapsed, name))
            facts_total += count_facts(facts)
        runs.append(time.perf_counter() - run_started)
    best = min(runs)
    print(f"extract_facts: best {best:.2f} s, median {statistics.median(runs):.2f} s over {args.repeat} runs")
    print(f"throughput: {len(docs) / best:.1f} documents/s, {facts_total / best:.0f} facts/s, "
          f"{chars / best / 1e3:.0f} k characters/s ({facts_total} facts)")  # fmt: skip
    print(f"slowest document: {slowest[1]} {slowest[0]:.2f} s")


if __name__ == "__main__":
    main()
