"""Invented documents and a real warehouse built from them for the web tests.

The texts are made up for these tests (real region names, invented events); the warehouse is
built by the pipeline's own steps (read → chunk → facts → load → index → publish), no Prefect.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flows.steps import Processed, Target, prepare
from search.embedders import get_embedder
from search.index import build_index
from warehouse.db import connect
from warehouse.load import load_document
from warehouse.publish import checkpoint_and_close, publish

SCRIPT = "<script>document.title='diretas'</script>"

BANYUWANGI_2019 = """<!doctype html>
<html><head>
<title>Peserta PKA Angkatan V BPSDM Provinsi Jambi Belajar Mal Pelayanan Publik di Banyuwangi</title>
<link rel="canonical" href="https://berita.example.org/pka-jambi-banyuwangi"></head>
<body><nav>Beranda | Berita | Kontak</nav>
<article>
<h1>Peserta PKA Angkatan V BPSDM Provinsi Jambi Belajar Mal Pelayanan Publik di Banyuwangi</h1>
<p>Banyuwangi, Selasa (12/3/2019) - Sebanyak 40 peserta Pelatihan Kepemimpinan Administrator (PKA)
Angkatan V BPSDM Provinsi Jambi melaksanakan benchmarking ke Kabupaten Banyuwangi, Provinsi Jawa Timur.
Rombongan dipimpin Kepala BPSDM Provinsi Jambi dan disambut Sekretaris Daerah Kabupaten Banyuwangi
di Pendopo Sabha Swagata Blambangan.</p>
<p>Peserta dibagi menjadi tiga kelompok. Kelompok 1 mempelajari Mal Pelayanan Publik di Dinas Penanaman
Modal dan Pelayanan Terpadu Satu Pintu, Kelompok 2 mempelajari perencanaan daring di Bappeda, dan
Kelompok 3 mempelajari layanan kependudukan di Kecamatan Genteng.</p>
<p>Mal Pelayanan Publik Banyuwangi melayani 214 jenis layanan dari pemerintah daerah, instansi vertikal
dan perbankan dalam satu gedung. Kabupaten Banyuwangi meraih penghargaan Top 40 Inovasi Pelayanan Publik
dari Kementerian PANRB tahun 2018 berkat program Smart Kampung yang menghubungkan desa dengan layanan
daring.</p>
</article>
<footer>Hak cipta Pemerintah Kabupaten Banyuwangi</footer>
</body></html>
"""

BANYUWANGI_2021 = """Diklatpim III Angkatan XII Kota Palembang Studi Lapangan ke Kabupaten Banyuwangi

Banyuwangi, Kamis 14 Oktober 2021 - Peserta Pendidikan dan Pelatihan Kepemimpinan Tingkat III
Angkatan XII Kota Palembang melakukan studi lapangan di Kabupaten Banyuwangi. Sebanyak 30 peserta
mempelajari inovasi kesehatan ibu dan anak di Dinas Kesehatan serta program pengentasan kemiskinan
berbasis UMKM di Dinas Koperasi dan Usaha Mikro.

Kepala Dinas Kesehatan menjelaskan bahwa angka kematian ibu turun 35 persen sejak layanan jemput bola
ibu hamil berisiko tinggi dimulai. Peserta juga mencatat sebuah catatan teknis yang ditulis apa adanya
oleh panitia: """ + SCRIPT + """ tidak boleh dijalankan oleh peramban.
"""

YOGYAKARTA_2017 = """Diklatpim IV Provinsi Banten Belajar Pengelolaan Arsip dan Perizinan di Kota Yogyakarta

Yogyakarta, Rabu (26/4/2017) - Sebanyak 120 peserta Diklatpim IV Badan Diklat Provinsi Banten
melakukan benchmarking ke Pemerintah Kota Yogyakarta. Peserta berasal dari Kota Serang, Kabupaten
Lebak dan Kabupaten Pandeglang.

Kelompok 1 mempelajari pengelolaan arsip di Dinas Perpustakaan dan Arsip Daerah, Kelompok 2
mempelajari perizinan di Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu, dan Kelompok 3
mempelajari pelayanan di Kecamatan Gondokusuman.

Kota Yogyakarta meraih predikat A dalam evaluasi SAKIP tahun 2016 dari Kementerian PANRB. Wali Kota
menyampaikan bahwa izin usaha kecil kini selesai dalam satu hari melalui layanan perizinan terpadu.
"""

SURABAYA_2022 = """Peserta PKP Angkatan II BPSDM Provinsi Bali Benchmarking ke Kota Surabaya

Surabaya, Senin 7 Maret 2022 - Sebanyak 36 peserta Pelatihan Kepemimpinan Pengawas (PKP) Angkatan II
BPSDM Provinsi Bali mengunjungi Pemerintah Kota Surabaya, Provinsi Jawa Timur, untuk mempelajari
Surabaya Single Window dan pengelolaan sampah di Dinas Lingkungan Hidup.

Kota Surabaya mengolah sampah menjadi listrik dan kompos; volume sampah yang dibuang ke TPA turun
20 persen dalam tiga tahun. Kota Surabaya meraih penghargaan Adipura Kencana tahun 2019 dari
Kementerian Lingkungan Hidup dan Kehutanan.
"""

SUMEDANG_2023 = """Peserta PKN Tingkat II Belajar Digitalisasi Pemerintahan di Kabupaten Sumedang

Sumedang, Selasa 16 Mei 2023 - Sebanyak 60 peserta Pelatihan Kepemimpinan Nasional Tingkat II
melakukan benchmarking ke Kabupaten Sumedang, Provinsi Jawa Barat. Peserta mempelajari aplikasi
Tanginas untuk pencegahan tengkes (stunting) di Bappeda dan penggunaan kecerdasan buatan dalam
pelayanan administrasi kependudukan.
"""

DOCUMENTS = {
    "pka-jambi-banyuwangi-2019.html": BANYUWANGI_2019,
    "diklatpim-iii-palembang-banyuwangi-2021.txt": BANYUWANGI_2021,
    "diklatpim-iv-banten-yogyakarta-2017.txt": YOGYAKARTA_2017,
    "pkp-bali-surabaya-2022.txt": SURABAYA_2022,
}
LATE_DOCUMENTS = {"pkn-ii-sumedang-2023.txt": SUMEDANG_2023}

_lock = threading.Lock()
_built: dict[str, Path] = {}


def write_documents(folder: Path, documents: dict[str, str]) -> list[Path]:
    """Write the documents as files; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in documents.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def store_facts(conn, processed: Processed) -> None:
    """The same facts step the ingest flow runs inside a document's transaction."""
    try:
        from warehouse.facts import replace_facts
    except ImportError:  # facts storage not installed: documents and search only
        return
    if processed.facts is None:
        return

    replace_facts(conn, processed.document.document_id, processed.facts)


def build_warehouse(folder: Path, documents: dict[str, str] = DOCUMENTS) -> Path:
    """A published warehouse of `documents` in `folder`; returns the working database path."""
    paths = write_documents(folder / "docs", documents)
    db_path = folder / "lokus.duckdb"
    conn = connect(db_path)
    try:
        for path in paths:
            processed = prepare(
                Target(str(path)), path.read_bytes(), None, chunk_chars=800, chunk_overlap=120
            )
            load_document(
                conn, processed.document, processed.chunks,
                after_load=lambda c, _doc, p=processed: store_facts(c, p),
            )
        build_index(conn, get_embedder("e5-small-q4"))
        conn.execute(
            "INSERT INTO ingest_runs (run_id, started_at, finished_at, status, n_new) "
            "VALUES ('fixture', now(), now(), 'completed', ?)",
            [len(paths)],
        )
    finally:
        checkpoint_and_close(conn)
    publish(db_path)
    return db_path


def shared_warehouse(tmp_root: Path) -> Path:
    """One fixture warehouse per test session (built on first use)."""
    with _lock:
        if "main" not in _built:
            _built["main"] = build_warehouse(tmp_root / "web-warehouse")
        return _built["main"]


def test_fixture_warehouse_is_published_and_searchable(tmp_path):
    from lokus.web.reader import PublishedWarehouse
    from search.query import search

    db = build_warehouse(tmp_path, {"a.txt": YOGYAKARTA_2017})
    warehouse = PublishedWarehouse(db)
    try:
        with warehouse.reader() as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
            hits = search(conn, "arsip daerah", embedder=get_embedder("e5-small-q4"), top=3)
            assert [Path(h.source_uri).name for h in hits] == ["a.txt"]
    finally:
        warehouse.close()


class LiveServer:
    """The web app served by uvicorn in a thread on a free 127.0.0.1 port."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
