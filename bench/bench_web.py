"""Web benchmark: requests per second and latency percentiles of /api/search, 8 concurrent clients.

Builds a published warehouse of shared/corpus/dev/docs with the pipeline's own steps (read →
chunk → facts → load → index → publish, no Prefect), starts `lokus serve` in its own process on
127.0.0.1 and drives it with N client threads over the dev queries:

- distinct: every request a query not seen before (the dev queries, each also with one extra
  word), so nothing is cached: the embedding, both searches and the details run every time;
- repeated: a fixed time cycling through the dev queries (answers cached per published copy);
- pages: the search page (HTML), document and site pages, for comparison;
- 1 client: distinct queries one at a time, the latency a lone user sees.

    .venv/bin/python bench/bench_web.py [--clients 8] [--seconds 20] [--db bench/results/web-dev.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus" / "dev"
DOCS = SHARED / "docs"
QUERIES = SHARED / "queries.json"
# Appended to the dev queries to make requests nothing has cached yet.
EXTRA_WORDS = ("daerah", "inovasi", "kabupaten", "kota", "program", "peserta", "pelayanan", "2019")


def build(db_path: Path) -> None:
    """A published warehouse of the dev corpus (documents that fail to read are left out)."""
    from flows.steps import Target, prepare
    from lokus.settings import get_settings
    from search.embedders import get_embedder
    from search.index import build_index
    from warehouse.db import connect
    from warehouse.load import load_document
    from warehouse.publish import checkpoint_and_close, publish

    settings = get_settings()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db_path, db_path.with_name(db_path.stem + ".published" + db_path.suffix)):
        stale.unlink(missing_ok=True)
    conn = connect(db_path)
    try:
        for path in sorted(DOCS.iterdir()):
            try:
                done = prepare(
                    Target(str(path)),
                    path.read_bytes(),
                    None,
                    chunk_chars=settings.chunk_chars,
                    chunk_overlap=settings.chunk_overlap,
                )
            except Exception as exc:  # noqa: BLE001 - a bad document is reported, not fatal
                print(f"  skipped {path.name}: {type(exc).__name__}: {exc}")
                continue

            def store(c, _doc, done=done):
                if done.facts is not None:
                    from warehouse.facts import replace_facts

                    replace_facts(c, done.document.document_id, done.facts)

            load_document(conn, done.document, done.chunks, after_load=store)
        build_index(conn, get_embedder(settings.model))
    finally:
        checkpoint_and_close(conn)
    publish(db_path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, port: int) -> subprocess.Popen:
    code = f"from lokus.web.server import serve; serve({str(db_path)!r}, port={port})"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start: {process.stderr.read().decode()[-2000:]}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, latencies: list[float], errors: int, elapsed: float) -> dict:
    ms = [v * 1000 for v in latencies]
    row = {
        "phase": name, "requests": len(ms), "errors": errors, "seconds": round(elapsed, 2),
        "rps": round(len(ms) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(ms, 50), 1), "p90_ms": round(percentile(ms, 90), 1),
        "p95_ms": round(percentile(ms, 95), 1), "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1), "mean_ms": round(statistics.fmean(ms), 1),
    }  # fmt: skip
    print(
        f"{name:<28} {row['requests']:>6} req {row['errors']:>3} err {row['rps']:>7.1f} req/s   "
        f"p50 {row['p50_ms']:>7.1f}  p90 {row['p90_ms']:>7.1f}  p95 {row['p95_ms']:>7.1f}  "
        f"p99 {row['p99_ms']:>7.1f}  max {row['max_ms']:>7.1f} ms"
    )
    return row


def drive(base: str, paths: list[str], clients: int, seconds: float | None) -> tuple[list[float], int, float]:
    """`clients` threads request `paths`: each once in all (seconds=None) or cycling for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    cursor = iter(range(10**9))
    stop_at = None if seconds is None else time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                with lock:
                    i = next(cursor)
                if stop_at is None and i >= len(paths):
                    return
                if stop_at is not None and time.perf_counter() >= stop_at:
                    return
                started = time.perf_counter()
                try:
                    ok = client.get(paths[i % len(paths)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--db", type=Path, default=REPO / "bench" / "results" / "web-dev.duckdb")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the warehouse even if it exists")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()

    published = args.db.with_name(args.db.stem + ".published" + args.db.suffix)
    if args.rebuild or not published.exists():
        started = time.perf_counter()
        print(f"building the dev warehouse at {args.db} ...")
        build(args.db)
        print(f"  built in {time.perf_counter() - started:.1f} s")
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    variants = [f"{q} {w}" for w in EXTRA_WORDS for q in queries]
    search_paths = [str(httpx.URL("/api/search", params={"q": q, "top": 10})) for q in queries]
    distinct_paths = [str(httpx.URL("/api/search", params={"q": q, "top": 10})) for q in variants]

    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            doc = client.post("/api/sql", json={"sql": "SELECT min(document_id) FROM documents"}).json()
            sites = client.get("/api/sites").json()
        page_paths = [str(httpx.URL("/", params={"q": q})) for q in queries]
        page_paths += [f"/documents/{doc['rows'][0][0]}"] + [f"/sites/{s['site_id']}" for s in sites[:5]]
        print(
            f"{len(queries)} dev queries, {args.clients} concurrent clients, server pid {server.pid}, "
            f"{os.cpu_count()} cores"
        )
        half = len(distinct_paths) // 2
        rows.append(
            report(
                f"search, distinct, {args.clients} clients",
                *drive(base, distinct_paths[:half], args.clients, None),
            )
        )
        rows.append(
            report(
                f"search, repeated, {args.clients} clients",
                *drive(base, search_paths, args.clients, args.seconds),
            )
        )
        rows.append(
            report(
                f"HTML pages, {args.clients} clients",
                *drive(base, page_paths, args.clients, args.seconds / 2),
            )
        )
        rows.append(report("search, distinct, 1 client", *drive(base, distinct_paths[half:], 1, None)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
