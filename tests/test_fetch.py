"""The Fetcher against a local website on 127.0.0.1 that misbehaves in every usual way."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from local_site import (
    Site,
    cut_short,
    document,
    endless,
    failing,
    pdf_bytes,
    redirect,
    slow,
)

from extract.errors import FetchError, TooLarge
from flows.fetch import (
    ConnectionFailed,
    Fetcher,
    FetchTimeout,
    HttpStatusError,
    MissingFile,
    RedirectError,
    ResponseTooLarge,
    RobotsDisallowed,
    UnsupportedURL,
    fetch_file,
)

LAPORAN = pdf_bytes(
    "Laporan Benchmarking Kelompok 3 PKN Tingkat II",
    "Lokus: Kabupaten Sukamaju, unit Bappeda dan Kecamatan Tanjung Sari.",
    "Praktik terbaik: layanan perizinan keliling dengan antrean daring.",
)
HALAMAN_1252 = (
    "<html><head><title>Kunjungan ke Dinas Koperasi</title></head><body>"
    "<p>Peserta PKA angkatan V mempelajari “sekolah wirausaha” – anggaran Rp 1,5 miliar.</p>"
    "</body></html>"
).encode("cp1252")
ROBOTS = b"User-agent: *\nDisallow: /rahasia/\n"
MB = 1024 * 1024


def fetcher(**overrides) -> Fetcher:
    """Test settings: short timeouts and backoff, no politeness delay, no proxies from env."""
    options = dict(timeout=2.0, retries=2, backoff_base=0.01, backoff_max=0.05,
                   politeness_delay=0.0, max_bytes=MB, trust_env=False)
    return Fetcher(**{**options, **overrides})


@pytest.fixture
def site():
    with Site() as server:
        server.route("/robots.txt", document(ROBOTS, "text/plain", validators=False))
        server.route("/dok/laporan.pdf", document(LAPORAN, "application/pdf"))
        server.route("/dok/terpotong.pdf", document(LAPORAN[: len(LAPORAN) // 2], "application/pdf"))
        server.route("/dok/salah-tipe.pdf", document(LAPORAN, "text/html; charset=utf-8"))
        server.route("/berita/koperasi.html",
                     document(HALAMAN_1252, "text/html; charset=windows-1252"))
        server.route("/berita/tanpa-label.html", document(HALAMAN_1252, "text/html"))
        server.route("/rahasia/nilai.pdf", document(LAPORAN, "application/pdf"))
        server.route("/lama", redirect("/pindah", 301))
        server.route("/pindah", redirect("/dok/laporan.pdf#halaman-2", 302))
        server.route("/ke-rahasia", redirect("/rahasia/nilai.pdf", 302))
        server.route("/putar-a", redirect("/putar-b"))
        server.route("/putar-b", redirect("/putar-a"))
        yield server


def test_fetches_a_document_with_its_validators(site):
    with fetcher() as f:
        result = f.fetch(site.url("/dok/laporan.pdf"))
    assert result.status == 200 and not result.not_modified
    assert result.content == LAPORAN
    assert result.content_type == "application/pdf"
    assert result.etag and result.last_modified
    assert result.final_url == result.url == site.url("/dok/laporan.pdf")
    assert result.redirects == [] and result.attempts == 1
    assert site.hits["/robots.txt"] == 1


def test_second_fetch_is_conditional_and_not_modified(site):
    with fetcher() as f:
        first = f.fetch(site.url("/dok/laporan.pdf"))
        again = f.fetch(site.url("/dok/laporan.pdf"), etag=first.etag,
                        last_modified=first.last_modified)
        by_date = f.fetch(site.url("/dok/laporan.pdf"), last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.content is None
    assert again.etag == first.etag
    assert by_date.not_modified
    conditional = site.requests_to("/dok/laporan.pdf")[1:]
    assert [r.headers.get("if-none-match") for r in conditional] == [first.etag, None]
    assert all(r.headers.get("if-modified-since") == first.last_modified for r in conditional)
    assert site.sent["/dok/laporan.pdf"] == len(LAPORAN)  # the body went out once


def test_changed_document_is_fetched_again(site):
    with fetcher() as f:
        first = f.fetch(site.url("/dok/laporan.pdf"))
        site.route("/dok/laporan.pdf", document(LAPORAN + b"\n% revisi", "application/pdf"))
        second = f.fetch(site.url("/dok/laporan.pdf"), etag=first.etag,
                         last_modified=first.last_modified)
    assert not second.not_modified and second.content.endswith(b"% revisi")
    assert second.etag != first.etag and second.sha256 != first.sha256


def test_404_fails_at_once_without_retry(site):
    with fetcher() as f, pytest.raises(HttpStatusError) as caught:
        f.fetch(site.url("/dok/hilang.pdf"))
    assert caught.value.status == 404 and not caught.value.transient
    assert isinstance(caught.value, FetchError) and caught.value.stage == "fetch"
    assert "404" in str(caught.value) and "/dok/hilang.pdf" in str(caught.value)
    assert site.hits["/dok/hilang.pdf"] == 1


def test_500_that_recovers_is_retried(site):
    site.route("/dok/sibuk.pdf", failing(2, document(LAPORAN, "application/pdf")))
    with fetcher(retries=3) as f:
        result = f.fetch(site.url("/dok/sibuk.pdf"))
    assert result.content == LAPORAN and result.attempts == 3
    assert site.hits["/dok/sibuk.pdf"] == 3


def test_500_that_persists_fails_after_the_retries(site):
    site.route("/dok/rusak.pdf", failing(99, document(LAPORAN, "application/pdf"), status=503))
    with fetcher(retries=2) as f, pytest.raises(HttpStatusError) as caught:
        f.fetch(site.url("/dok/rusak.pdf"))
    assert caught.value.status == 503 and caught.value.transient
    assert "after 3 attempts" in str(caught.value)
    assert site.hits["/dok/rusak.pdf"] == 3


def test_429_waits_for_retry_after(site):
    site.route("/dok/antre.pdf", failing(1, document(LAPORAN, "application/pdf"), status=429,
                                         headers={"Retry-After": "0"}))
    with fetcher() as f:
        assert f.fetch(site.url("/dok/antre.pdf")).content == LAPORAN
    assert site.hits["/dok/antre.pdf"] == 2


def test_timeout_is_transient_and_bounded(site):
    site.route("/dok/lambat.pdf", slow(10, document(LAPORAN, "application/pdf"), site))
    started = time.monotonic()
    with fetcher(timeout=0.3, retries=1) as f, pytest.raises(FetchTimeout) as caught:
        f.fetch(site.url("/dok/lambat.pdf"))
    assert caught.value.transient and "timed out" in str(caught.value)
    assert site.hits["/dok/lambat.pdf"] == 2
    assert time.monotonic() - started < 3


def test_body_cut_short_is_a_transient_network_error(site):
    site.route("/dok/putus.pdf", cut_short(LAPORAN, "application/pdf"))
    with fetcher(retries=1) as f, pytest.raises(ConnectionFailed) as caught:
        f.fetch(site.url("/dok/putus.pdf"))
    assert caught.value.transient
    assert site.hits["/dok/putus.pdf"] == 2


def test_truncated_pdf_is_passed_to_the_reader_as_is(site):
    with fetcher() as f:
        result = f.fetch(site.url("/dok/terpotong.pdf"))
    assert result.content == LAPORAN[: len(LAPORAN) // 2]
    assert result.content_type == "application/pdf"


def test_windows_1252_page_keeps_bytes_and_declared_charset(site):
    with fetcher() as f:
        labelled = f.fetch(site.url("/berita/koperasi.html"))
        unlabelled = f.fetch(site.url("/berita/tanpa-label.html"))
    assert labelled.content == unlabelled.content == HALAMAN_1252
    assert "windows-1252" in labelled.content_type
    assert unlabelled.content_type == "text/html"
    assert "“sekolah wirausaha”" in labelled.content.decode("cp1252")


def test_pdf_served_as_html_is_passed_through_for_sniffing(site):
    with fetcher() as f:
        result = f.fetch(site.url("/dok/salah-tipe.pdf"))
    assert result.content.startswith(b"%PDF-") and result.content_type.startswith("text/html")


def test_redirects_are_followed_and_recorded(site):
    with fetcher() as f:
        result = f.fetch(site.url("/lama"))
    assert result.url == site.url("/lama")
    assert result.final_url == site.url("/dok/laporan.pdf")
    assert result.redirects == [site.url("/pindah"), site.url("/dok/laporan.pdf")]
    assert result.content == LAPORAN


def test_redirect_loop_and_too_many_redirects_fail_clearly(site):
    for n in range(4):
        site.route(f"/rantai/{n}", redirect(f"/rantai/{n + 1}"))
    with fetcher(max_redirects=2) as f:
        with pytest.raises(RedirectError, match="loop"):
            f.fetch(site.url("/putar-a"))
        with pytest.raises(RedirectError, match="more than 2 redirects"):
            f.fetch(site.url("/rantai/0"))


def test_chunked_300_mb_response_is_refused_without_reading_it(site):
    site.route("/dok/raksasa.pdf", endless(300 * MB, declare=False))
    with fetcher(max_bytes=MB) as f, pytest.raises(ResponseTooLarge) as caught:
        f.fetch(site.url("/dok/raksasa.pdf"))
    assert isinstance(caught.value, TooLarge) and not caught.value.transient
    _wait_for_sender(site, "/dok/raksasa.pdf")
    assert site.hits["/dok/raksasa.pdf"] == 1
    assert site.sent["/dok/raksasa.pdf"] < 30 * MB  # under a tenth; the rest was never sent


def test_declared_300_mb_response_is_refused_from_its_header(site):
    site.route("/dok/besar.pdf", endless(300 * MB, declare=True))
    with fetcher(max_bytes=MB) as f, pytest.raises(ResponseTooLarge, match="declares 314.6 MB"):
        f.fetch(site.url("/dok/besar.pdf"))
    _wait_for_sender(site, "/dok/besar.pdf")
    assert site.sent["/dok/besar.pdf"] < 30 * MB


def test_robots_txt_forbids_a_path_without_requesting_it(site):
    with fetcher() as f:
        with pytest.raises(RobotsDisallowed, match="robots.txt") as caught:
            f.fetch(site.url("/rahasia/nilai.pdf"))
        with pytest.raises(RobotsDisallowed):
            f.fetch(site.url("/ke-rahasia"))  # a redirect into the forbidden path
        assert f.fetch(site.url("/dok/laporan.pdf")).content == LAPORAN
        assert not f.allowed(site.url("/rahasia/lain.pdf"))
    assert not caught.value.transient
    assert site.hits["/rahasia/nilai.pdf"] == 0
    assert site.hits["/robots.txt"] == 1  # cached per host


def test_robots_can_be_ignored_when_configured(site):
    with fetcher(respect_robots=False) as f:
        assert f.fetch(site.url("/rahasia/nilai.pdf")).content == LAPORAN
    assert site.hits["/robots.txt"] == 0


def test_missing_robots_allows_all_and_broken_robots_allows_none():
    with Site() as open_site, Site() as broken_site:
        open_site.route("/a.pdf", document(LAPORAN, "application/pdf"))
        broken_site.route("/robots.txt", failing(99, document(b"", "text/plain"), status=503))
        broken_site.route("/a.pdf", document(LAPORAN, "application/pdf"))
        with fetcher(retries=1) as f:
            assert f.fetch(open_site.url("/a.pdf")).content == LAPORAN
            with pytest.raises(RobotsDisallowed, match="robots.txt unavailable"):
                f.fetch(broken_site.url("/a.pdf"))
        assert broken_site.hits["/a.pdf"] == 0


def test_crawl_delay_in_robots_spaces_requests():
    with Site() as polite_site:
        polite_site.route("/robots.txt", document(b"User-agent: *\nCrawl-delay: 1\n",
                                                   "text/plain", validators=False))
        polite_site.route("/a.pdf", document(LAPORAN, "application/pdf"))
        with fetcher() as f:
            for _ in range(3):
                f.fetch(polite_site.url("/a.pdf"))
        starts = [r.started for r in polite_site.requests_to("/a.pdf")]
    assert all(b - a >= 0.28 for a, b in zip(starts, starts[1:], strict=False))


def test_per_host_concurrency_is_limited(site):
    site.route("/dok/pelan.pdf", slow(0.25, document(LAPORAN, "application/pdf"), site))
    with fetcher(per_host_limit=2) as f:
        f.fetch(site.url("/dok/laporan.pdf"))  # robots.txt out of the way
        threads = [threading.Thread(target=f.fetch, args=(site.url("/dok/pelan.pdf"),))
                   for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert site.hits["/dok/pelan.pdf"] == 6
    assert site.max_in_flight == 2


def test_politeness_delay_spaces_request_starts(site):
    with fetcher(politeness_delay=0.2) as f:
        for _ in range(3):
            f.fetch(site.url("/dok/laporan.pdf"))
    starts = [r.started for r in site.requests if r.path in ("/robots.txt", "/dok/laporan.pdf")]
    assert len(starts) == 4
    assert all(b - a >= 0.18 for a, b in zip(starts, starts[1:], strict=False))


def test_unreachable_host_is_a_transient_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fetcher(retries=1, respect_robots=False) as f, pytest.raises(ConnectionFailed) as caught:
        f.fetch(f"http://127.0.0.1:{port}/dok.pdf")
    assert caught.value.transient and "ConnectError" in str(caught.value)


def test_unsupported_scheme_is_refused():
    with fetcher() as f, pytest.raises(UnsupportedURL, match="only http"):
        f.fetch("ftp://127.0.0.1/laporan.pdf")


def test_local_file_unchanged_costs_no_read(tmp_path):
    path = tmp_path / "laporan.pdf"
    path.write_bytes(LAPORAN)
    with fetcher() as f:
        first = f.fetch(str(path))
        again = f.fetch(str(path), etag=first.etag)
        path.write_bytes(LAPORAN + b"\n% revisi")
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        changed = f.fetch(str(path), etag=first.etag)
    assert first.content == LAPORAN and first.etag and not first.not_modified
    assert again.not_modified and again.content is None
    assert changed.content.endswith(b"% revisi") and changed.etag != first.etag


def test_local_file_errors(tmp_path):
    with pytest.raises(MissingFile, match="not found"):
        fetch_file(str(tmp_path / "tidak-ada.pdf"), max_bytes=MB)
    big = tmp_path / "besar.pdf"
    big.write_bytes(b"%PDF-" + b"0" * (2 * MB))
    with pytest.raises(ResponseTooLarge, match="over the 1.0 MB limit"):
        fetch_file(str(big), max_bytes=MB)
    with pytest.raises(UnsupportedURL, match="not a regular file"):
        fetch_file(str(tmp_path), max_bytes=MB)


def _wait_for_sender(site: Site, path: str) -> None:
    """Let the server thread notice the closed connection before its byte count is read."""
    deadline = time.monotonic() + 5
    while site.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)
