"""Discovery: each kind of source expanded into document URIs, against files and a local site."""

from __future__ import annotations

import gzip

import pytest
from local_site import Site, document, pdf_bytes, redirect

from flows.discover import (
    SourceInvalid,
    SourceUnreachable,
    decode_html,
    discover,
    glob_regex,
    normalize_url,
)
from flows.fetch import Fetcher
from flows.sources import Source

ROBOTS = b"User-agent: *\nDisallow: /rahasia/\n"


def fetcher() -> Fetcher:
    return Fetcher(timeout=2.0, retries=1, backoff_base=0.01, politeness_delay=0.0,
                   max_bytes=1024 * 1024, trust_env=False)


def source(**fields) -> Source:
    return Source(name="uji", **fields)


@pytest.fixture
def site():
    with Site() as server:
        server.route("/robots.txt", document(ROBOTS, "text/plain", validators=False))
        yield server


# -- folders ----------------------------------------------------------------------------------


def test_folder_globs_match_case_insensitively_and_skip_hidden(tmp_path):
    files = ["laporan-kelompok-1.pdf", "LAPORAN-KELOMPOK-2.PDF", "ringkasan.txt", "berita.html",
             "kecamatan/tanjung/notulen.txt", "foto.jpg", ".draft.pdf", ".git/arsip.pdf"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"isi")
    found = discover(source(kind="folder", location=str(tmp_path)), fetcher())
    names = sorted(p.removeprefix(str(tmp_path) + "/") for p in found.uris)
    assert names == ["LAPORAN-KELOMPOK-2.PDF", "berita.html", "kecamatan/tanjung/notulen.txt",
                     "laporan-kelompok-1.pdf", "ringkasan.txt"]
    assert found.complete and found.can_withdraw

    only_pdf = discover(source(kind="folder", location=str(tmp_path), globs=["*.pdf"]), fetcher())
    assert sorted(p.rsplit("/", 1)[1] for p in only_pdf.uris) == [
        "LAPORAN-KELOMPOK-2.PDF", "laporan-kelompok-1.pdf"]


def test_missing_folder_is_unreachable(tmp_path):
    with pytest.raises(SourceUnreachable, match="not found or not a folder") as caught:
        discover(source(kind="folder", location=str(tmp_path / "belum-dipasang")), fetcher())
    assert caught.value.source == "uji" and caught.value.stage == "discover"


def test_glob_regex():
    assert glob_regex("**/*.pdf").fullmatch("a/b/c.PDF")
    assert glob_regex("**/*.pdf").fullmatch("c.pdf")
    assert not glob_regex("*.pdf").fullmatch("a/c.pdf")
    assert glob_regex("laporan-[0-9]?.txt").fullmatch("laporan-12.txt")
    assert not glob_regex("laporan-[!0-9].txt").fullmatch("laporan-1.txt")


# -- URL lists --------------------------------------------------------------------------------


def test_url_list_is_normalised_deduplicated_and_filtered():
    listed = source(kind="urls", link_pattern=r"/dokumen/", urls=[
        "https://Contoh.go.id/dokumen/laporan akhir.pdf#hal-2",
        "https://contoh.go.id/dokumen/laporan%20akhir.pdf",
        "https://contoh.go.id/berita/lain",
    ])
    found = discover(listed, fetcher())
    assert found.uris == ["https://contoh.go.id/dokumen/laporan%20akhir.pdf"]


# -- feeds ------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Berita Kota Sukamaju</title><link>/</link>
  <item>
    <title>Peserta PKN II belajar tata kelola sampah di Kecamatan Mekarsari</title>
    <link>/berita/pkn-ii-mekarsari</link>
    <pubDate>Tue, 04 Jun 2024 08:00:00 +0700</pubDate>
    <enclosure url="/dokumen/laporan-mekarsari.pdf" type="application/pdf" length="1000"/>
  </item>
  <item>
    <title>Lomba kebersihan pasar</title>
    <link>https://sukamaju.go.id/agenda/lomba-pasar</link>
  </item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Bappeda Sukamaju</title>
  <entry>
    <title>Benchmarking Diklatpim III ke Bappeda</title>
    <link rel="alternate" href="https://bappeda.sukamaju.go.id/berita/diklatpim-iii"/>
    <id>tag:bappeda,2024:1</id><updated>2024-05-01T10:00:00Z</updated>
  </entry>
</feed>"""


def test_rss_feed_lists_items_and_enclosures_resolved(site):
    site.route("/feed/", document(RSS, "application/rss+xml"))
    found = discover(source(kind="feed", location=site.url("/feed/")), fetcher())
    assert found.uris == [site.url("/berita/pkn-ii-mekarsari"),
                          site.url("/dokumen/laporan-mekarsari.pdf"),
                          "https://sukamaju.go.id/agenda/lomba-pasar"]
    first = found.items[0]
    assert first.title.startswith("Peserta PKN II") and "2024" in first.updated
    assert first.found_on == site.url("/feed/")
    assert found.complete and not found.can_withdraw

    filtered = discover(source(kind="feed", location=site.url("/feed/"),
                               link_pattern="/(berita|dokumen)/"), fetcher())
    assert len(filtered.uris) == 2


def test_atom_feed(site):
    site.route("/atom.xml", document(ATOM, "application/atom+xml"))
    found = discover(source(kind="feed", location=site.url("/atom.xml")), fetcher())
    assert found.uris == ["https://bappeda.sukamaju.go.id/berita/diklatpim-iii"]
    assert found.items[0].updated.startswith("2024-05-01")


def test_feed_errors(site):
    site.route("/bukan-feed", document(b"<html><body>Beranda</body></html>", "text/html"))
    with pytest.raises(SourceInvalid, match="not an RSS/Atom feed"):
        discover(source(kind="feed", location=site.url("/bukan-feed")), fetcher())
    with pytest.raises(SourceUnreachable, match="HTTP 404"):
        discover(source(kind="feed", location=site.url("/feed-hilang")), fetcher())


# -- sitemaps ---------------------------------------------------------------------------------


def urlset(*locs: str) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc><lastmod>2024-06-01</lastmod></url>" for loc in locs)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{entries}</urlset>').encode()


def test_sitemap_index_is_followed_and_broken_children_recorded(site):
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap'
             f'/0.9"><sitemap><loc>{site.url("/sitemap-berita.xml")}</loc></sitemap>'
             '<sitemap><loc>/sitemap-dokumen.xml.gz</loc></sitemap>'
             '<sitemap><loc>/sitemap-hilang.xml</loc></sitemap></sitemapindex>').encode()
    site.route("/sitemap.xml", document(index, "application/xml"))
    site.route("/sitemap-berita.xml", document(urlset(
        site.url("/berita/benchmarking-pkp"), site.url("/profil")), "application/xml"))
    site.route("/sitemap-dokumen.xml.gz", document(gzip.compress(urlset(
        site.url("/dokumen/laporan-benchmarking.pdf"))), "application/gzip"))
    found = discover(source(kind="sitemap", location=site.url("/sitemap.xml"),
                            link_pattern="benchmarking"), fetcher())
    assert found.uris == [site.url("/berita/benchmarking-pkp"),
                          site.url("/dokumen/laporan-benchmarking.pdf")]
    assert found.items[0].updated == "2024-06-01"
    assert [(f.uri, f.stage, f.error_class) for f in found.failures] == [
        (site.url("/sitemap-hilang.xml"), "discover", "HttpStatusError")]
    assert not found.complete and not found.can_withdraw


def test_plain_text_sitemap(site):
    text = f"{site.url('/a')}\n{site.url('/b')}\n".encode()
    site.route("/sitemap.txt", document(text, "text/plain"))
    found = discover(source(kind="sitemap", location=site.url("/sitemap.txt")), fetcher())
    assert found.uris == [site.url("/a"), site.url("/b")] and found.can_withdraw


def test_sitemap_errors(site):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    site.route("/bom.xml", document(bomb, "application/xml"))
    site.route("/rss.xml", document(RSS, "application/xml"))
    with pytest.raises(SourceInvalid, match="entity declarations"):
        discover(source(kind="sitemap", location=site.url("/bom.xml")), fetcher())
    with pytest.raises(SourceInvalid, match="root element is <rss>"):
        discover(source(kind="sitemap", location=site.url("/rss.xml")), fetcher())


# -- HTML index pages -------------------------------------------------------------------------

INDEX_1252 = """<html><head><meta charset="windows-1252"><base href="/unduhan/">
<title>Unduhan</title></head><body>
<nav><a href="/">Beranda</a> <a href="/profil">Profil</a> <a href="#isi">Lewati</a></nav>
<ul>
  <li><a href="laporan-kelompok-1.pdf">Laporan Kelompok 1 – Kecamatan Mekarsari</a></li>
  <li><a href="laporan kelompok 2.pdf#hal1"><b>Laporan</b> Kelompok 2</a></li>
  <li><a href="/unduhan/laporan-kelompok-1.pdf">(salinan)</a></li>
  <li><a href="https://arsip.sukamaju.go.id/rekap-pka.PDF">Rekap “PKA”</a></li>
  <li><a href="mailto:bappeda@sukamaju.go.id">Surel</a>
      <a href="javascript:void(0)">Cetak</a></li>
  <li><a href="/rahasia/nilai.pdf">Nilai</a></li>
</ul></body></html>""".encode("cp1252")


def test_index_page_links_are_resolved_filtered_and_named(site):
    site.route("/unduhan/", document(INDEX_1252, "text/html"))
    found = discover(source(kind="index_page", location=site.url("/unduhan/"),
                            link_pattern=r"(?i)\.pdf$"), fetcher())
    assert found.uris == [site.url("/unduhan/laporan-kelompok-1.pdf"),
                          site.url("/unduhan/laporan%20kelompok%202.pdf"),
                          "https://arsip.sukamaju.go.id/rekap-pka.PDF",
                          site.url("/rahasia/nilai.pdf")]  # robots is the fetcher's business
    titles = [item.title for item in found.items]
    assert titles[:3] == ["Laporan Kelompok 1 – Kecamatan Mekarsari", "Laporan Kelompok 2",
                          "Rekap “PKA”"]
    assert found.can_withdraw


def test_index_page_redirect_resolves_against_final_url(site):
    page = b'<html><body><a href="laporan.pdf">Laporan</a></body></html>'
    site.route("/lama", redirect("/baru/daftar.html"))
    site.route("/baru/daftar.html", document(page, "text/html; charset=utf-8"))
    found = discover(source(kind="index_page", location=site.url("/lama"),
                            link_pattern=r"\.pdf$"), fetcher())
    assert found.uris == [site.url("/baru/laporan.pdf")]


def test_index_page_forbidden_by_robots_is_unreachable(site):
    site.route("/rahasia/daftar.html", document(b"<a href='x.pdf'>x</a>", "text/html"))
    with pytest.raises(SourceUnreachable, match="robots.txt"):
        discover(source(kind="index_page", location=site.url("/rahasia/daftar.html"),
                        link_pattern="pdf"), fetcher())


def test_decode_html_uses_header_then_meta_then_fallbacks():
    text = "Rekap “PKA” – Sukamaju"
    assert decode_html(text.encode("cp1252"), "text/html; charset=windows-1252") == text
    assert decode_html(b'<meta charset="windows-1252">' + text.encode("cp1252"), None).endswith(
        text)
    assert decode_html(text.encode("utf-8"), "text/html") == text
    assert decode_html(text.encode("cp1252"), "text/html; charset=utf-8") == text  # mislabelled


def test_normalize_url():
    assert normalize_url("HTTPS://Bappeda.Go.ID/a b/ü.pdf?x=1 2#f") == (
        "https://bappeda.go.id/a%20b/%C3%BC.pdf?x=1%202")
    assert normalize_url("https://x.go.id") == "https://x.go.id/"


def test_discovered_pdf_is_fetchable(site):
    """The URIs discovery returns are the ones the fetcher then downloads."""
    body = pdf_bytes("Laporan kelompok 4: inovasi layanan kependudukan di Kelurahan Cempaka.")
    site.route("/dokumen/laporan-4.pdf", document(body, "application/pdf"))
    site.route("/unduhan/", document(b'<a href="/dokumen/laporan-4.pdf">L4</a>', "text/html"))
    with fetcher() as f:
        found = discover(source(kind="index_page", location=site.url("/unduhan/"),
                                link_pattern="pdf"), f)
        assert f.fetch(found.uris[0]).content == body
