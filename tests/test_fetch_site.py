"""A whole misbehaving website, listed, fetched and read twice with fetch_state in DuckDB.

This drives the pieces the ingest flow calls (discover → conditional fetch → read_bytes →
fetch_state) the way the flow does: every good document is read, every bad one is recorded
with its stage and reason, and the second run only makes conditional requests and reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from local_site import Site, cut_short, document, endless, failing, pdf_bytes, redirect, slow

from extract.errors import ReadError
from extract.read import read_bytes
from flows.discover import discover
from flows.fetch import Fetcher
from flows.sources import Source
from warehouse.fetch_state import apply_listing, failed, get_state, put_state, state_after_fetch

MB = 1024 * 1024
LAPORAN = pdf_bytes("Laporan Kelompok 1 Diklatpim III: digitalisasi arsip di Kecamatan Mekarsari.")
LAPORAN_2 = pdf_bytes("Laporan Kelompok 2 PKP: bank sampah desa dan koperasi pemuda di Sukamaju.")
HALAMAN = ("<html><head><title>Kunjungan PKA ke Dinas Koperasi</title></head><body><p>Peserta "
           "mempelajari “sekolah wirausaha” – anggaran Rp 1,5 miliar untuk 40 koperasi desa di "
           "Kabupaten Sukamaju.</p></body></html>").encode("cp1252")
GOOD = {"laporan.pdf", "koperasi.html", "salah-tipe.pdf", "sibuk.pdf", "lama"}
BAD = {
    "terpotong.pdf": ("read", "CorruptDocument"),
    "putus.pdf": ("fetch", "ConnectionFailed"),
    "hilang.pdf": ("fetch", "HttpStatusError"),
    "lambat.pdf": ("fetch", "FetchTimeout"),
    "raksasa.pdf": ("fetch", "ResponseTooLarge"),
    "nilai.pdf": ("fetch", "RobotsDisallowed"),
}


@dataclass
class Run:
    read: dict[str, str] = field(default_factory=dict)  # uri -> document title/text start
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # uri -> stage, class, msg


def run_once(conn, source: Source, fetcher: Fetcher) -> Run:
    """One pass as the flow makes it (the flow adds loading, Prefect tasks and run records)."""
    run = Run()
    listing = discover(source, fetcher)
    for uri in listing.uris:
        previous = get_state(conn, uri)
        try:
            fetched = fetcher.fetch(uri, etag=previous and previous.etag,
                                    last_modified=previous and previous.last_modified)
        except ReadError as exc:
            run.failed[uri] = (exc.stage, type(exc).__name__, str(exc))
            continue
        state = state_after_fetch(
            previous, uri=uri, source=source.name, status=fetched.status, etag=fetched.etag,
            last_modified=fetched.last_modified, final_url=fetched.final_url,
            content_sha256=fetched.sha256)
        if fetched.not_modified:
            if state.last_error:  # same bytes as last time, which could not be read
                run.failed[uri] = ("read", *state.last_error.split(": ", 1))
            else:
                run.unchanged.append(uri)
            put_state(conn, state)
            continue
        try:
            doc = read_bytes(fetched.content, fetched.final_url, content_type=fetched.content_type)
        except ReadError as exc:
            run.failed[uri] = (exc.stage, type(exc).__name__, str(exc))
            put_state(conn, failed(state, exc))
            continue
        put_state(conn, state)
        run.read[uri] = doc.text
    if listing.can_withdraw:
        apply_listing(conn, source.name, listing.uris)
    return run


@pytest.fixture
def site():
    with Site() as s:
        s.route("/robots.txt", document(b"User-agent: *\nDisallow: /rahasia/\n", "text/plain"))
        s.route("/dok/laporan.pdf", document(LAPORAN, "application/pdf"))
        s.route("/dok/laporan-2.pdf", document(LAPORAN_2, "application/pdf"))
        s.route("/dok/terpotong.pdf", document(LAPORAN[: len(LAPORAN) // 2], "application/pdf"))
        s.route("/dok/putus.pdf", cut_short(LAPORAN, "application/pdf"))
        s.route("/dok/salah-tipe.pdf", document(LAPORAN_2, "text/html"))
        s.route("/dok/koperasi.html", document(HALAMAN, "text/html; charset=windows-1252"))
        s.route("/dok/sibuk.pdf", failing(1, document(LAPORAN_2, "application/pdf")))
        s.route("/dok/lambat.pdf", slow(10, document(LAPORAN, "application/pdf"), s))
        s.route("/dok/raksasa.pdf", endless(300 * MB, declare=False))
        s.route("/rahasia/nilai.pdf", document(LAPORAN, "application/pdf"))
        s.route("/lama", redirect("/dok/laporan-2.pdf"))
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in (
            "/dok/laporan.pdf", "/dok/terpotong.pdf", "/dok/putus.pdf", "/dok/salah-tipe.pdf",
            "/dok/koperasi.html", "/dok/sibuk.pdf", "/dok/hilang.pdf", "/dok/lambat.pdf",
            "/dok/raksasa.pdf", "/rahasia/nilai.pdf", "/lama", "/profil"))
        s.route("/unduhan/", document(f"<ul>{links}</ul>".encode(), "text/html"))
        yield s


def test_site_twice_reads_good_records_bad_then_only_conditional(site, warehouse):
    source = Source(name="sukamaju", kind="index_page", location=site.url("/unduhan/"),
                    link_pattern=r"/(dok|rahasia)/|/lama$")
    fetcher = Fetcher(timeout=0.5, retries=1, backoff_base=0.01, politeness_delay=0.0,
                      max_bytes=MB, trust_env=False)
    with fetcher:
        first = run_once(warehouse, source, fetcher)

        assert {uri.rsplit("/", 1)[1] for uri in first.read} == GOOD
        assert "“sekolah wirausaha” – anggaran Rp 1,5 miliar" in first.read[site.url(
            "/dok/koperasi.html")]
        assert "digitalisasi arsip" in first.read[site.url("/dok/laporan.pdf")]
        assert "bank sampah" in first.read[site.url("/dok/salah-tipe.pdf")]
        assert "bank sampah" in first.read[site.url("/lama")]
        assert {uri.rsplit("/", 1)[1]: failure[:2] for uri, failure in first.failed.items()} == BAD
        assert all(message for _, _, message in first.failed.values())
        assert site.hits["/rahasia/nilai.pdf"] == 0 and site.sent["/dok/raksasa.pdf"] < 30 * MB
        assert get_state(warehouse, site.url("/lama")).final_url == site.url("/dok/laporan-2.pdf")

        before, sent_before = len(site.requests), dict(site.sent)
        second = run_once(warehouse, source, fetcher)

    assert second.read == {}
    assert {uri.rsplit("/", 1)[1] for uri in second.unchanged} == GOOD
    assert second.failed[site.url("/dok/terpotong.pdf")] == first.failed[site.url(
        "/dok/terpotong.pdf")]  # reported again from a 304, without reading
    assert {uri.rsplit("/", 1)[1]: failure[:2] for uri, failure in second.failed.items()} == BAD
    again = site.requests[before:]
    known = {"/dok/laporan.pdf", "/dok/terpotong.pdf", "/dok/salah-tipe.pdf",
             "/dok/koperasi.html", "/dok/sibuk.pdf", "/lama", "/dok/laporan-2.pdf"}
    assert {r.path for r in again if "if-none-match" in r.headers} == known
    assert all(site.sent[path] == sent_before[path] for path in known)  # 304s: no bodies
    # Only the listing and documents that never arrived are asked for without validators.
    assert {r.path for r in again if "if-none-match" not in r.headers} == {
        "/unduhan/", "/dok/putus.pdf", "/dok/hilang.pdf", "/dok/lambat.pdf", "/dok/raksasa.pdf"}


def test_document_removed_from_the_page_is_withdrawn(site, warehouse):
    source = Source(name="sukamaju", kind="index_page", location=site.url("/unduhan/"),
                    link_pattern=r"/dok/laporan")
    with Fetcher(politeness_delay=0.0, trust_env=False, max_bytes=MB) as fetcher:
        run_once(warehouse, source, fetcher)
        site.route("/unduhan/", document(b'<a href="/dok/laporan.pdf">1</a>', "text/html"))
        run_once(warehouse, source, fetcher)
    assert get_state(warehouse, site.url("/dok/laporan.pdf")).withdrawn_at is None
    assert get_state(warehouse, site.url("/dok/laporan-2.pdf")) is None  # never listed here
    page_2 = Source(name="sukamaju", kind="urls", urls=[site.url("/dok/laporan-2.pdf")])
    with Fetcher(politeness_delay=0.0, trust_env=False, max_bytes=MB) as fetcher:
        run_once(warehouse, page_2, fetcher)
    assert get_state(warehouse, site.url("/dok/laporan.pdf")).withdrawn_at is not None
