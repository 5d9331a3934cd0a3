"""The fast PDF text engine (PDFium for pages without ruled lines) and parallel reading."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2
import pytest
from fpdf import FPDF

from extract.errors import CorruptDocument, EmptyDocument, ReadError
from extract.parallel import read_files
from extract.readers.pdf import fast_texts, may_hold_table, read_pdf, text_engine

REPO = Path(__file__).resolve().parents[1]
SHARED_PDFS = REPO.parent / "shared" / "corpus" / "pdf"

PROSE = (
    "Peserta Pelatihan Kepemimpinan Administrator Angkatan VII dari Kabupaten Lembah Hijau "
    "mempelajari layanan perizinan keliling di Kecamatan Sumber Makmur. Kepala bidang inovasi "
    "menjelaskan bahwa waktu layanan turun dari dua belas hari menjadi tiga hari sejak loket "
    "keliling berkunjung ke desa-desa setiap pekan, dan warga dapat memantau berkasnya lewat "
    "pesan singkat. Rombongan juga meninjau ruang arsip digital yang menyimpan seluruh dokumen "
    "perizinan sejak tahun 2019."
)


def _pdf(draw) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 20
    for line in textwrap.wrap(PROSE, 95):
        pdf.text(15, y, line)
        y += 5
    draw(pdf)
    return bytes(pdf.output())


def _first_page(data: bytes):
    doc = pypdfium2.PdfDocument(data)
    return doc, doc[0]


def _ruled_table(pdf: FPDF) -> None:
    for r, row in enumerate([["Indikator", "Target"], ["Waktu layanan", "3 hari"], ["Pengguna", "1.200"]]):
        for c, cell in enumerate(row):
            pdf.rect(15 + 60 * c, 80 + 8 * r, 60, 8)
            pdf.text(17 + 60 * c, 86 + 8 * r, cell)


def _grid_in_one_path(pdf: FPDF) -> None:
    # one path object holding a whole 3x3 grid, as some writers draw tables
    points = [(15, 80), (135, 80), (135, 104), (15, 104), (15, 80), (15, 92), (135, 92),
              (135, 104), (75, 104), (75, 80)]  # fmt: skip
    pdf.polyline(points)
    pdf.text(17, 88, "Indikator")
    pdf.text(77, 88, "Target")


@pytest.mark.parametrize(
    ("draw", "expected"),
    [
        (lambda pdf: None, False),
        (lambda pdf: pdf.line(15, 60, 120, 60), False),  # an underline
        (lambda pdf: pdf.rect(10, 10, 190, 277), False),  # a page border: one box, one cell
        (_ruled_table, True),
        (_grid_in_one_path, True),
    ],
)
def test_pages_that_may_hold_a_ruled_table_are_detected(draw, expected):
    doc, page = _first_page(_pdf(draw))
    try:
        assert may_hold_table(page) is expected
    finally:
        page.close()
        doc.close()


def test_fast_engine_keeps_text_tables_and_hyphenation_of_pdfplumber():
    def long_url(pdf: FPDF) -> None:
        pdf.set_xy(15, 60)
        pdf.multi_cell(0, 6, "Sumber: https://warta.lembahhijau.example.id/2021/perizinan-\nkeliling/\n"
                             "Laporan ini disusun oleh kelompok tiga.")  # fmt: skip

    for draw in (long_url, _ruled_table):
        data = _pdf(draw)
        slow = read_pdf(data, "a.pdf", engine="pdfplumber")
        fast = read_pdf(data, "a.pdf", engine="fast")
        assert Counter(fast.text.split()) == Counter(slow.text.split())
        assert fast.tables == slow.tables
        assert (fast.title, fast.canonical_url, fast.published_date) == (
            slow.title, slow.canonical_url, slow.published_date)  # fmt: skip
    assert "/2021/perizinan-\nkeliling/" in read_pdf(_pdf(long_url), "a.pdf").text
    assert read_pdf(_pdf(_ruled_table), "a.pdf").tables[0].rows[1] == ["Waktu layanan", "3 hari"]
    assert fast_texts(_pdf(_ruled_table)) == [None]  # the table page went to pdfplumber


def test_text_engine_setting(monkeypatch):
    monkeypatch.delenv("LOKUS_PDF_TEXT", raising=False)
    assert text_engine() == "fast"
    monkeypatch.setenv("LOKUS_PDF_TEXT", "pdfplumber")
    assert text_engine() == "pdfplumber"
    monkeypatch.setenv("LOKUS_PDF_TEXT", "ocr")
    with pytest.raises(ValueError, match="LOKUS_PDF_TEXT"):
        text_engine()


def test_fast_engine_is_safe_from_many_threads():
    data = _pdf(_ruled_table)
    expected = read_pdf(data, "a.pdf", engine="fast")
    with ThreadPoolExecutor(4) as pool:
        docs = list(pool.map(lambda _: read_pdf(data, "a.pdf", engine="fast"), range(16)))
    assert all(d.pages == expected.pages and d.tables == expected.tables for d in docs)


@pytest.mark.parametrize("name", ["password-example.pdf", "empty.pdf", "malformed-from-issue-932.pdf"])
def test_bad_real_pdfs_give_the_same_error_with_either_engine(name):
    data = (SHARED_PDFS / name).read_bytes()
    outcomes = []
    for engine in ("pdfplumber", "fast"):
        try:
            doc = read_pdf(data, name, engine=engine)
            outcomes.append(("ok", [p.text for p in doc.pages]))
        except ReadError as exc:
            outcomes.append((type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]


def test_long_pdf_memory_stays_bounded(tmp_path):
    """A long report is read page by page: peak memory grows far less than the page count."""
    sys.path.insert(0, str(REPO))
    from bench.corpus import long_pdf

    path = tmp_path / "long.pdf"
    path.write_bytes(long_pdf(150))
    code = (
        "import resource, sys; sys.path.insert(0, sys.argv[1])\n"
        "from extract.readers.pdf import read_pdf\n"
        "data = open(sys.argv[2], 'rb').read()\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "doc = read_pdf(data, 'long.pdf')\n"
        "print(len(doc.pages), (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(REPO), str(path)], capture_output=True,
                         text=True, check=True)  # fmt: skip
    pages, growth_mb = out.stdout.split()
    assert int(pages) == 150
    assert float(growth_mb) < 150


def test_parallel_reading_matches_serial_and_keeps_bad_files_in_place(tmp_path):
    files = []
    for i in range(5):
        path = tmp_path / f"laporan-{i}.pdf"
        path.write_bytes(_pdf(_ruled_table if i % 2 else lambda pdf: None))
        files.append(path)
    (tmp_path / "kosong.pdf").write_bytes(b"")
    (tmp_path / "rusak.pdf").write_bytes(b"%PDF-1.7\n" + b"\x13\x37" * 500)
    (tmp_path / "berita.html").write_text(f"<html><body><article><p>{PROSE}</p></article></body></html>")
    files[2:2] = [tmp_path / "kosong.pdf", tmp_path / "rusak.pdf", tmp_path / "berita.html"]

    serial = list(read_files(files, workers=1))
    parallel = list(read_files(files, workers=2, in_flight=3, max_tasks_per_child=2))
    assert [p for p, _, _ in parallel] == files
    for (_, one, _), (_, two, _) in zip(serial, parallel, strict=True):
        if isinstance(one, ReadError):
            assert type(two) is type(one) and str(two) == str(one)
        else:
            assert (two.pages, two.tables, two.sha256) == (one.pages, one.tables, one.sha256)
    kinds = [type(r).__name__ for _, r, _ in parallel]
    assert kinds[2:4] == [EmptyDocument.__name__, CorruptDocument.__name__]
    assert kinds.count("Document") == 6
