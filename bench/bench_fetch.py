"""Fetching and discovery speed: first fetch vs conditional re-fetch, for files and HTTP.

Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_fetch.py [N]
Traffic goes only to a server this script starts on 127.0.0.1.
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.discover import discover  # noqa: E402
from flows.fetch import Fetcher, ResponseTooLarge  # noqa: E402
from flows.sources import Source  # noqa: E402
from tests.local_site import Site, document, endless  # noqa: E402

MB = 1024 * 1024


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed * 1000:9.1f} ms")
    return result, elapsed


def make_body(i: int) -> bytes:
    text = (
        f"Laporan kelompok {i} benchmarking ke Kabupaten Contoh {i % 37}: inovasi layanan "
        "publik, mal pelayanan, dan perencanaan berbasis data. "
    ) * 40
    return text.encode()


def bench_folder(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(n):
            sub = root / f"angkatan-{i % 10}"
            sub.mkdir(exist_ok=True)
            (sub / f"laporan-{i:04d}.txt").write_bytes(make_body(i))
        source = Source(name="bench-folder", kind="folder", location=str(root))
        with Fetcher(trust_env=False) as fetcher:
            listing, _ = timed(f"folder: discover {n} files", lambda: discover(source, fetcher))
            first, t_first = timed(
                f"folder: read {n} files", lambda: [fetcher.fetch(u) for u in listing.uris]
            )
            tags = {r.url: r.etag for r in first}
            again, t_again = timed(
                f"folder: re-check {n} unchanged files",
                lambda: [fetcher.fetch(u, etag=tags[u]) for u in listing.uris],
            )
        assert all(r.not_modified for r in again)
        print(f"{'folder: re-check / first':<52} {100 * t_again / t_first:9.1f} %")


def bench_http(n: int) -> None:
    with Site() as site:
        for i in range(n):
            site.route(f"/dok/{i:04d}.html", document(make_body(i), "text/html"))
        urls = [site.url(f"/dok/{i:04d}.html") for i in range(n)]
        fetcher = Fetcher(trust_env=False, politeness_delay=0.0, per_host_limit=2)
        with fetcher, ThreadPoolExecutor(2) as pool:
            first, t_first = timed(
                f"http: fetch {n} documents (2 per host)", lambda: list(pool.map(fetcher.fetch, urls))
            )
            validators = {r.url: (r.etag, r.last_modified) for r in first}

            def conditional(url: str):
                etag, modified = validators[url]
                return fetcher.fetch(url, etag=etag, last_modified=modified)

            again, t_again = timed(
                f"http: conditional re-fetch of {n} (304s)", lambda: list(pool.map(conditional, urls))
            )
        assert all(r.not_modified for r in again)
        print(f"{'http: conditional / first':<52} {100 * t_again / t_first:9.1f} %")
        with Fetcher(trust_env=False, politeness_delay=1.0) as polite:
            timed("http: 3 requests with a 1 s politeness delay", lambda: [polite.fetch(u) for u in urls[:3]])

        site.route("/raksasa", endless(300 * MB, declare=False))
        with Fetcher(trust_env=False, politeness_delay=0.0, max_bytes=2 * MB) as small:

            def refuse() -> None:
                try:
                    small.fetch(site.url("/raksasa"))
                except ResponseTooLarge:
                    return
                raise AssertionError("not refused")

            timed("http: refuse a 300 MB body (limit 2 MB)", refuse)
        time.sleep(0.3)
        print(
            f"{'http: bytes the server sent before the refusal':<52} "
            f"{site.sent['/raksasa'] / MB:9.1f} MB of 300"
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    bench_folder(n)
    bench_http(n)


if __name__ == "__main__":
    main()
