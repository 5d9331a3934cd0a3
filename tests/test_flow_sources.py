"""The per-source ingest flow against a local website with every fault of issue 5.

One site serves a feed, a sitemap, an index page and documents: a 404, a 500 that recovers on
retry, a timeout, a truncated PDF, a body cut short, a Windows-1252 page, a PDF served as
text/html, a redirect, a 300 MB response and a path robots.txt forbids. Three sources list
them. The real flow runs (Prefect, DuckDB, readers, embeddings), twice: the first run loads
every good document and records every bad one with its reason; the second makes only
conditional requests for what it has and loads nothing.
"""

from __future__ import annotations

import duckdb
import pytest
from local_site import Site, cut_short, document, endless, failing, pdf_bytes, redirect, slow

pytestmark = pytest.mark.slow

MB = 1024 * 1024
LAPORAN = pdf_bytes("Laporan Kelompok 1 PKN II: digitalisasi arsip kependudukan di Kecamatan "
                    "Mekarsari, Kabupaten Sukamaju.")
SALAH_TIPE = pdf_bytes("Laporan Kelompok 2 PKP: bank sampah desa dan koperasi pemuda di Sukamaju.")
SIBUK = pdf_bytes("Laporan Kelompok 3 PKA: layanan perizinan daring di DPMPTSP Sukamaju.")
TUJUAN = pdf_bytes("Laporan Kelompok 4 Diklatpim III: posyandu remaja di Puskesmas Cibening.")
KOPERASI = ("<html><head><title>Kunjungan PKA ke Dinas Koperasi</title></head><body><p>Peserta "
            "mempelajari “sekolah wirausaha” – anggaran Rp 1,5 miliar untuk 40 koperasi desa di "
            "Kabupaten Sukamaju.</p></body></html>").encode("cp1252")


def page(title: str, text: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{text}</p></article></body></html>").encode()


BERITA_1 = page("Peserta PKN II belajar ke Bappeda Sukamaju",
                "Sebanyak 30 peserta PKN II Angkatan V melakukan benchmarking ke Bappeda "
                "Kabupaten Sukamaju untuk mempelajari perencanaan berbasis data desa.")
BERITA_2 = page("Diklatpim IV kunjungi Mal Pelayanan Publik",
                "Kelompok 2 Diklatpim IV mempelajari Mal Pelayanan Publik Sukamaju yang melayani "
                "120 jenis izin dalam satu gedung.")
MAL = page("Inovasi Mal Pelayanan Publik Sukamaju",
           "Mal Pelayanan Publik menggabungkan layanan 15 instansi; waktu tunggu turun 40 persen.")
BANK_SAMPAH = (b"Ringkasan inovasi: bank sampah digital di Kelurahan Cibening mencatat tabungan "
               b"sampah 800 nasabah sejak 2021.")

GOOD = {  # path: what the loaded text must contain
    "/dok/laporan-1.pdf": "digitalisasi arsip",
    "/dok/koperasi.html": "“sekolah wirausaha” – anggaran Rp 1,5 miliar",
    "/dok/salah-tipe.pdf": "bank sampah desa",
    "/dok/sibuk.pdf": "perizinan daring",
    "/lama": "posyandu remaja",
    "/berita/kunjungan-1.html": "perencanaan berbasis data",
    "/berita/kunjungan-2.html": "120 jenis izin",
    "/inovasi/mal-pelayanan.html": "15 instansi",
    "/inovasi/bank-sampah.txt": "800 nasabah",
}
BAD = {  # path: (stage, error class)
    "/dok/terpotong.pdf": ("read", "CorruptDocument"),
    "/dok/putus.pdf": ("fetch", "ConnectionFailed"),
    "/dok/hilang.pdf": ("fetch", "HttpStatusError"),
    "/dok/lambat.pdf": ("fetch", "FetchTimeout"),
    "/dok/raksasa.pdf": ("fetch", "ResponseTooLarge"),
    "/rahasia/nilai.pdf": ("fetch", "RobotsDisallowed"),
}
PER_SOURCE = {  # source: (good, bad) documents it lists
    "unduhan-sukamaju": (5, 6),
    "berita-sukamaju": (2, 0),
    "sitemap-sukamaju": (2, 0),
}


def rss(site: Site, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Berita</title>'
            f"<link>{site.url('/')}</link>{items}</channel></rss>").encode()


def urlset(site: Site, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in paths)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode()


def index_page(paths: list[str]) -> bytes:
    links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in paths)
    return f'<html><body><a href="/profil">Profil</a><ul>{links}</ul></body></html>'.encode()


INDEX_LINKS = ["/dok/laporan-1.pdf", "/dok/koperasi.html", "/dok/salah-tipe.pdf", "/dok/sibuk.pdf",
               "/lama", "/dok/terpotong.pdf", "/dok/putus.pdf", "/dok/hilang.pdf",
               "/dok/lambat.pdf", "/dok/raksasa.pdf", "/rahasia/nilai.pdf"]


def build_site(site: Site) -> None:
    site.route("/robots.txt", document(b"User-agent: *\nDisallow: /rahasia/\n", "text/plain"))
    site.route("/dok/laporan-1.pdf", document(LAPORAN, "application/pdf"))
    site.route("/dok/koperasi.html", document(KOPERASI, "text/html; charset=windows-1252"))
    site.route("/dok/salah-tipe.pdf", document(SALAH_TIPE, "text/html"))
    site.route("/dok/sibuk.pdf", failing(1, document(SIBUK, "application/pdf")))
    site.route("/lama", redirect("/dok/tujuan.pdf"))
    site.route("/dok/tujuan.pdf", document(TUJUAN, "application/pdf"))
    site.route("/dok/terpotong.pdf", document(LAPORAN[: len(LAPORAN) // 2], "application/pdf"))
    site.route("/dok/putus.pdf", cut_short(TUJUAN, "application/pdf"))
    site.route("/dok/lambat.pdf", slow(10, document(LAPORAN, "application/pdf"), site))
    site.route("/dok/raksasa.pdf", endless(300 * MB, declare=False))
    site.route("/rahasia/nilai.pdf", document(LAPORAN, "application/pdf"))
    site.route("/berita/kunjungan-1.html", document(BERITA_1, "text/html; charset=utf-8"))
    site.route("/berita/kunjungan-2.html", document(BERITA_2, "text/html; charset=utf-8"))
    site.route("/inovasi/mal-pelayanan.html", document(MAL, "text/html"))
    site.route("/inovasi/bank-sampah.txt", document(BANK_SAMPAH, "text/plain"))
    site.route("/feed.xml", document(rss(site, ["/berita/kunjungan-1.html",
                                                "/berita/kunjungan-2.html"]), "application/rss+xml"))
    site.route("/sitemap.xml", document(urlset(site, ["/inovasi/mal-pelayanan.html",
                                                      "/inovasi/bank-sampah.txt"]), "text/xml"))
    site.route("/unduhan/", document(index_page(INDEX_LINKS), "text/html"))


def sources_yaml(site: Site, extra: str = "") -> str:
    return f"""
sources:
  - name: unduhan-sukamaju
    kind: index_page
    location: {site.url('/unduhan/')}
    link_pattern: "/(dok|rahasia)/|/lama$"
    owner: Bappeda Kabupaten Sukamaju
    region: Kabupaten Sukamaju
  - name: berita-sukamaju
    kind: feed
    location: {site.url('/feed.xml')}
    link_pattern: "/berita/"
  - name: sitemap-sukamaju
    kind: sitemap
    location: {site.url('/sitemap.xml')}
{extra}"""


@pytest.fixture(scope="module")
def fast_http():
    """Short timeouts, one retry, no politeness delay and a 1 MB limit, for this module."""
    from lokus.settings import get_settings

    patch = pytest.MonkeyPatch()
    for name, value in {"LOKUS_HTTP_TIMEOUT_S": "0.5", "LOKUS_HTTP_RETRIES": "1",
                        "LOKUS_HTTP_DELAY_S": "0", "LOKUS_MAX_FILE_MB": "1"}.items():
        patch.setenv(name, value)
    get_settings.cache_clear()
    yield
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, prefect_harness, fast_http):
    """All three sources ingested twice; the site's request log split between the runs."""
    from flows.ingest import ingest_sources

    folder = tmp_path_factory.mktemp("sources")
    db = folder / "lokus.duckdb"
    with Site() as site:
        build_site(site)
        sources = folder / "sources.yaml"
        sources.write_text(sources_yaml(site))
        first = ingest_sources(str(sources), db_path=str(db))
        sent_before, hits_before, n_before = dict(site.sent), dict(site.hits), len(site.requests)
        second = ingest_sources(str(sources), db_path=str(db))
        again = site.requests[n_before:]
        yield {"first": first, "second": second, "db": db, "site": site, "again": again,
               "sent_before": sent_before, "hits_before": hits_before, "sources": sources}


def path_of(site: Site, uri: str) -> str:
    return uri.removeprefix(site.base)


def test_first_run_loads_every_good_document(two_runs):
    site, db = two_runs["site"], two_runs["db"]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        docs = conn.execute(
            "SELECT d.source_uri, d.doc_type, string_agg(p.text, ' ') FROM documents d "
            "JOIN pages p USING (document_id) WHERE d.status = 'active' GROUP BY ALL"
        ).fetchall()
        texts = {path_of(site, uri): text for uri, _, text in docs}
        assert set(texts) == set(GOOD)
        for path, phrase in GOOD.items():
            assert phrase in texts[path], path
        types = {path_of(site, uri): doc_type for uri, doc_type, _ in docs}
        assert types["/dok/salah-tipe.pdf"] == "pdf"  # served as text/html, read as the PDF it is
        lama = conn.execute("SELECT metadata->>'final_url', metadata->>'owner' FROM documents "
                            "WHERE source_uri = ?", [site.url("/lama")]).fetchone()
        assert lama == (site.url("/dok/tujuan.pdf"), "Bappeda Kabupaten Sukamaju")
        state = conn.execute("SELECT final_url FROM fetch_state WHERE uri = ?",
                             [site.url("/lama")]).fetchone()
        assert state == (site.url("/dok/tujuan.pdf"),)
        missing = conn.execute(
            "SELECT count(*) FROM chunks c JOIN documents d USING (document_id) "
            "LEFT JOIN embeddings e ON e.content_hash = c.content_hash "
            "WHERE d.status = 'active' AND e.content_hash IS NULL"
        ).fetchone()[0]
        assert missing == 0
    finally:
        conn.close()


def test_first_run_records_every_bad_document_with_its_reason(two_runs):
    site, db, first = two_runs["site"], two_runs["db"], two_runs["first"]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        run_ids = [s.run_id for s in first]
        rows = conn.execute(
            "SELECT uri, stage, error_class, message FROM ingest_errors "
            "WHERE run_id IN (SELECT unnest(?::VARCHAR[]))", [run_ids]
        ).fetchall()
    finally:
        conn.close()
    assert {path_of(site, uri): (stage, cls) for uri, stage, cls, _ in rows} == BAD
    assert all(message for *_, message in rows)
    assert len(rows) == len(BAD)
    hits = two_runs["hits_before"]
    assert site.hits["/rahasia/nilai.pdf"] == 0
    assert two_runs["sent_before"]["/dok/raksasa.pdf"] < 30 * MB  # refused while streaming
    assert hits["/dok/sibuk.pdf"] == 2  # a 500, then the retry that worked


def test_each_run_is_recorded_with_its_counts(two_runs):
    db, first, second = two_runs["db"], two_runs["first"], two_runs["second"]
    conn = duckdb.connect(str(db), read_only=True)
    try:
        runs = {row[0]: row[1:] for row in conn.execute(
            "SELECT run_id, source, status, n_new, n_updated, n_unchanged, n_withdrawn, n_failed, "
            "duration_s, finished_at IS NOT NULL FROM ingest_runs").fetchall()}
    finally:
        conn.close()
    assert len(runs) == 6
    for summary in first:
        good, bad = PER_SOURCE[summary.source]
        assert runs[summary.run_id][:7] == (summary.source, "completed", good, 0, 0, 0, bad)
        assert runs[summary.run_id][7] > 0 and runs[summary.run_id][8]
    for summary in second:
        good, bad = PER_SOURCE[summary.source]
        assert runs[summary.run_id][:7] == (summary.source, "completed", 0, 0, good, 0, bad)


def test_second_run_makes_only_conditional_requests_and_loads_nothing(two_runs):
    site, second, again = two_runs["site"], two_runs["second"], two_runs["again"]
    assert sum(s.loaded for s in second) == 0
    assert sum(s.chunks_embedded for s in second) == 0
    assert all("index" not in s.seconds for s in second)  # nothing changed: no re-index
    assert {path_of(site, f.uri) for s in second for f in s.failures} == set(BAD)
    known = {"/dok/laporan-1.pdf", "/dok/koperasi.html", "/dok/salah-tipe.pdf", "/dok/sibuk.pdf",
             "/lama", "/dok/tujuan.pdf", "/dok/terpotong.pdf", "/berita/kunjungan-1.html",
             "/berita/kunjungan-2.html", "/inovasi/mal-pelayanan.html",
             "/inovasi/bank-sampah.txt"}
    conditional = {r.path for r in again if "if-none-match" in r.headers}
    assert conditional == known
    assert all(site.sent[p] == two_runs["sent_before"].get(p) for p in known)  # 304s, no bodies
    # Without validators: robots.txt, the three listings, and documents that never arrived.
    assert {r.path for r in again if "if-none-match" not in r.headers} == {
        "/robots.txt", "/unduhan/", "/feed.xml", "/sitemap.xml", "/dok/putus.pdf",
        "/dok/hilang.pdf", "/dok/lambat.pdf", "/dok/raksasa.pdf"}


# -- changes between runs -----------------------------------------------------------------------


def one_source(folder, site: Site, paths: list[str]):
    site.route("/unduhan/", document(index_page(paths), "text/html"))
    sources = folder / "sources.yaml"
    sources.write_text(f"""
sources:
  - name: unduhan
    kind: index_page
    location: {site.url('/unduhan/')}
    link_pattern: "/dok/"
""")
    return str(sources)


def rows(db, sql: str, params=()) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql, list(params)).fetchall()
    finally:
        conn.close()


def test_changed_document_replaces_its_version_and_vanished_one_is_withdrawn(
    tmp_path, prefect_harness, fast_http
):
    from flows.ingest import ingest_source

    db = str(tmp_path / "lokus.duckdb")
    with Site() as site:
        site.route("/robots.txt", document(b"User-agent: *\nAllow: /\n", "text/plain"))
        site.route("/dok/a.html", document(BERITA_1, "text/html"))
        site.route("/dok/b.html", document(BERITA_2, "text/html"))
        site.route("/dok/c.pdf", document(LAPORAN, "application/pdf"))
        sources = one_source(tmp_path, site, ["/dok/a.html", "/dok/b.html", "/dok/c.pdf"])
        first = ingest_source("unduhan", sources, db_path=db)
        assert (first.new, first.failed) == (3, 0)
        old_a = rows(db, "SELECT document_id FROM documents WHERE source_uri = ?",
                     [site.url("/dok/a.html")])[0][0]

        site.route("/dok/a.html", document(MAL, "text/html"))  # new content at the same URL
        one_source(tmp_path, site, ["/dok/a.html", "/dok/c.pdf"])  # b.html no longer listed
        second = ingest_source("unduhan", sources, db_path=db)
        assert (second.new, second.updated, second.unchanged, second.withdrawn) == (0, 1, 1, 1)
        assert site.hits["/dok/b.html"] == 1  # a withdrawn document is not fetched

        for table in ("documents", "pages", "chunks"):
            assert rows(db, f"SELECT count(*) FROM {table} WHERE document_id = ?", [old_a]) == [(0,)]
        status = dict(rows(db, "SELECT source_uri, status FROM documents"))
        assert status == {site.url("/dok/a.html"): "active", site.url("/dok/b.html"): "withdrawn",
                          site.url("/dok/c.pdf"): "active"}
        text = rows(db, "SELECT string_agg(p.text, ' ') FROM pages p JOIN documents d "
                        "USING (document_id) WHERE d.source_uri = ?", [site.url("/dok/a.html")])
        assert "15 instansi" in text[0][0] and "berbasis data" not in text[0][0]
        assert rows(db, "SELECT withdrawn_at IS NOT NULL FROM fetch_state WHERE uri = ?",
                    [site.url("/dok/b.html")]) == [(True,)]

        one_source(tmp_path, site, ["/dok/a.html", "/dok/b.html", "/dok/c.pdf"])  # listed again
        third = ingest_source("unduhan", sources, db_path=db)
    assert (third.new, third.updated, third.unchanged, third.withdrawn) == (0, 1, 2, 0)
    assert third.restored == 1 and third.chunks_embedded == 0  # its vectors were kept
    assert dict(rows(db, "SELECT source_uri, status FROM documents"))[site.url("/dok/b.html")] == (
        "active")


def test_unreachable_source_marks_its_run_failed(tmp_path, prefect_harness, fast_http):
    from flows.ingest import ingest_source, run_source

    db = str(tmp_path / "lokus.duckdb")
    with Site() as site:
        site.route("/robots.txt", document(b"", "text/plain"))
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"""
sources:
  - name: feed-hilang
    kind: feed
    location: {site.url('/tidak-ada/feed.xml')}
""")
        state = ingest_source("feed-hilang", str(sources), db_path=db, return_state=True)
        summary = run_source("feed-hilang", str(sources), db_path=db)
    assert state.is_failed() and "source 'feed-hilang' failed" in state.message  # in Prefect's UI
    assert summary.status == "failed" and summary.failed == 1
    assert rows(db, "SELECT status, n_failed, finished_at IS NOT NULL FROM ingest_runs") == [
        ("failed", 1, True)] * 2
    error = rows(db, "SELECT uri, stage, error_class, message FROM ingest_errors")[0]
    assert error[:3] == (site.url("/tidak-ada/feed.xml"), "discover", "SourceUnreachable")
    assert "404" in error[3]


def test_empty_listing_withdraws_nothing_and_says_why(tmp_path, prefect_harness, fast_http):
    from flows.ingest import ingest_source

    db = str(tmp_path / "lokus.duckdb")
    with Site() as site:
        site.route("/robots.txt", document(b"", "text/plain"))
        site.route("/dok/a.html", document(BERITA_1, "text/html"))
        sources = one_source(tmp_path, site, ["/dok/a.html"])
        ingest_source("unduhan", sources, db_path=db)
        one_source(tmp_path, site, [])  # the page lost its links (a redesign, an error page)
        emptied = ingest_source("unduhan", sources, db_path=db)
    assert emptied.withdrawn == 0 and emptied.status == "completed"
    assert [(f.stage, f.error_class) for f in emptied.failures] == [("withdraw", "WithdrawRefused")]
    assert rows(db, "SELECT status FROM documents") == [("active",)]


def test_index_failure_is_recorded_and_the_next_run_finishes_the_index(
    tmp_path, prefect_harness, fast_http
):
    from flows.ingest import ingest_source

    db = str(tmp_path / "lokus.duckdb")
    with Site() as site:
        site.route("/robots.txt", document(b"", "text/plain"))
        site.route("/dok/a.html", document(BERITA_1, "text/html"))
        sources = one_source(tmp_path, site, ["/dok/a.html"])
        broken = ingest_source("unduhan", sources, db_path=db, model=str(tmp_path / "no-model"))
        assert (broken.new, broken.status) == (1, "completed")
        assert [(f.stage, f.error_class) for f in broken.failures] == [("index", "EmbedderError")]
        fixed = ingest_source("unduhan", sources, db_path=db)
    assert (fixed.new, fixed.unchanged, fixed.failed) == (0, 1, 0)
    assert fixed.chunks_embedded >= 1  # the index the first run could not build
    assert rows(db, "SELECT count(*) FROM index_state WHERE key = 'pending_since'") == [(0,)]
