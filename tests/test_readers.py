"""Readers on invented fixtures, every bad input, and the shared real-world PDFs."""

from __future__ import annotations

import hashlib
import json
import random
import socket
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fpdf import FPDF

from extract.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ReadError,
    TooLarge,
    UnsupportedFormat,
)
from extract.language import detect_language
from extract.model import Document
from extract.read import SUPPORTED_SUFFIXES, read_bytes, read_path, sniff_format
from extract.readers.dates import date_from_url, find_stated_date, parse_date, parse_pdf_date
from extract.readers.encoding import decode_bytes
from extract.readers.html import parse_html, plain_body_text

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_PDFS = SHARED / "corpus" / "pdf"
DEV = SHARED / "corpus" / "dev"
SAMPLES = REPO / "samples"

PARAGRAPH_1 = (
    "Sebanyak 40 peserta Pelatihan Kepemimpinan Pengawas (PKP) Angkatan III dari Kabupaten "
    "Sungai Jernih melaksanakan studi lapangan ke Kota Bukit Indah untuk mempelajari inovasi "
    "pelayanan perizinan dan pengelolaan keuangan daerah."
)
PARAGRAPH_2 = (
    "Kelompok 2 mempelajari aplikasi perizinan daring di Dinas Penanaman Modal, sedangkan "
    "kelompok 3 belajar tentang penganggaran berbasis kinerja di Badan Keuangan Daerah."
)
INDICATORS = [
    ["Indikator", "Target", "Realisasi"],
    ["Indeks Kepuasan Masyarakat", "95,0", "98,5"],
    ["Izin terbit", "1.100", "1.250"],
]


# ---------------------------------------------------------------- fixture builders


def make_pdf(
    pages: list[str],
    *,
    title: str | None = None,
    table_on_page: int | None = None,
    created: datetime | None = None,
    user_password: str | None = None,
) -> bytes:
    """A PDF written with fpdf2: one text block per page, optionally a table and metadata."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_author("Tim Uji Lokus")
    pdf.set_creation_date(created or datetime(2021, 3, 4, 8, 0, tzinfo=UTC))
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if text:
            pdf.multi_cell(0, 6, text)
        if number == table_on_page:
            pdf.ln(4)
            with pdf.table() as table:
                for row in INDICATORS:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
    if user_password:
        pdf.set_encryption(owner_password="pemilik", user_password=user_password)
    return bytes(pdf.output())


def news_html(
    *,
    charset: str | None = "utf-8",
    head_extra: str = "",
    dateline: str = "",
    quote: str = "\u201cKami belajar banyak dari sini,\u201d kata ketua rombongan.",
) -> str:
    """A news page with the boilerplate real portals have: menu, share buttons, sidebar, footer."""
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="id"><head>{meta}
<title>Peserta PKP Sungai Jernih Studi Lapangan ke Kota Bukit Indah | Portal Kota</title>
{head_extra}
</head><body>
<header><nav><a href="/">Beranda</a> <a href="/profil">Profil</a> <a href="/berita">Berita</a>
<a href="/kontak">Hubungi Kami</a></nav></header>
<article>
<h1>Peserta PKP Sungai Jernih Studi Lapangan ke Kota Bukit Indah</h1>
{dateline}
<div class="share">Bagikan ke: Facebook Twitter WhatsApp</div>
<p>{PARAGRAPH_1}</p>
<p>{PARAGRAPH_2}</p>
<p>{quote} Biaya pelatihan sebesar Rp 1.250.000 per peserta ditanggung pemerintah daerah.</p>
<p>Hasil studi lapangan akan dituangkan dalam laporan kelompok dan menjadi bahan proyek
perubahan peserta di unit kerja masing-masing setelah kembali ke daerah asal.</p>
</article>
<aside><h3>Berita Terpopuler</h3><ul><li><a href="#">Jadwal Car Free Day Minggu Ini</a></li>
<li><a href="#">Lowongan Tenaga Kontrak Dinas Kebersihan</a></li></ul></aside>
<footer>Hak cipta dilindungi undang-undang. Dinas Kominfo Kota Bukit Indah.</footer>
</body></html>"""


# ---------------------------------------------------------------- PDF


def test_pdf_pages_tables_metadata_and_identity():
    data = make_pdf(
        [PARAGRAPH_1, PARAGRAPH_2],
        title="Laporan Studi Lapangan PKP Angkatan III",
        table_on_page=2,
        created=datetime(2021, 3, 4, 8, 0, tzinfo=UTC),
    )
    doc = read_bytes(data, "laporan.pdf")
    assert doc.doc_type == "pdf"
    assert [page.number for page in doc.pages] == [1, 2]
    assert "Kota Bukit Indah" in " ".join(doc.pages[0].text.split())
    assert "Badan Keuangan Daerah" in " ".join(doc.pages[1].text.split())
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.page, table.index) == (2, 0)
    assert table.rows == INDICATORS
    assert doc.title == "Laporan Studi Lapangan PKP Angkatan III"
    assert doc.metadata["Title"] == doc.title
    assert doc.metadata["Author"] == "Tim Uji Lokus"
    assert doc.metadata["pages"] == "2"
    assert all(isinstance(value, str) for value in doc.metadata.values())
    assert doc.published_date == date(2021, 3, 4)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.byte_size == len(data)
    assert doc.language == "id"


def test_pdf_title_from_first_line_when_metadata_title_is_missing_or_a_file_name():
    text = "Ringkasan Benchmarking Kecamatan Cerdas\n" + PARAGRAPH_1
    assert read_bytes(make_pdf([text]), "a.pdf").title == "Ringkasan Benchmarking Kecamatan Cerdas"
    tool_title = make_pdf([text], title="Microsoft Word - laporan_final_v2.docx")
    assert read_bytes(tool_title, "b.pdf").title == "Ringkasan Benchmarking Kecamatan Cerdas"


def test_pdf_printed_web_page_gives_source_url_and_stated_date():
    text = (
        "Peserta PKA Belajar ke Kota Bukit Indah\n"
        "Sumber: https://berita.bukitindah.example.id/2020/02/11/peserta-pka-belajar-ke-kota-\n"
        "bukit-indah/\n"
        "Selasa, 11 Februari 2020 | 10:15 WIB\n" + PARAGRAPH_1
    )
    doc = read_bytes(make_pdf([text], created=datetime(2026, 1, 5, tzinfo=UTC)), "p.pdf")
    assert doc.canonical_url == (
        "https://berita.bukitindah.example.id/2020/02/11/peserta-pka-belajar-ke-kota-bukit-indah/"
    )
    assert doc.published_date == date(2020, 2, 11)  # stated, not the day it was printed


def test_pdf_without_text_layer_is_empty_with_ocr_message():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, as a scanned page has only an image
    with pytest.raises(EmptyDocument, match="no text layer.*OCR"):
        read_bytes(bytes(pdf.output()), "scan.pdf")


def test_password_protected_pdf():
    data = make_pdf([PARAGRAPH_1], user_password="rahasia")
    with pytest.raises(EncryptedDocument, match="password-protected"):
        read_bytes(data, "terkunci.pdf")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.8, 0.95])
def test_truncated_pdf_is_corrupt(keep):
    data = make_pdf([PARAGRAPH_1, PARAGRAPH_2], table_on_page=1)
    with pytest.raises(CorruptDocument, match="truncated or malformed PDF"):
        read_bytes(data[: int(len(data) * keep)], "terpotong.pdf")


def test_pdf_header_followed_by_junk_is_corrupt():
    junk = random.Random(7).randbytes(4000)
    with pytest.raises(CorruptDocument, match="malformed PDF"):
        read_bytes(b"%PDF-1.7\n" + junk, "rusak.pdf")


def test_pdf_page_caches_are_freed(monkeypatch):
    import pdfplumber.page

    closed = []
    original = pdfplumber.page.Page.close
    monkeypatch.setattr(
        pdfplumber.page.Page, "close", lambda self: (closed.append(self.page_number), original(self))
    )
    read_bytes(make_pdf(["satu " * 50, "dua " * 50, "tiga " * 50]), "tiga.pdf")
    assert closed[:3] == [1, 2, 3]  # each page freed right after it was read


# ---------------------------------------------------------------- sniffing


def test_pdf_served_as_html_is_read_as_pdf():
    data = make_pdf([PARAGRAPH_1])
    doc = read_bytes(data, "https://example.id/unduh/laporan.html", content_type="text/html")
    assert doc.doc_type == "pdf"
    assert "Kota Bukit Indah" in " ".join(doc.text.split())


def test_html_error_page_named_pdf_is_read_as_html():
    data = news_html().encode("utf-8")
    assert read_bytes(data, "https://example.id/laporan.pdf").doc_type == "html"


def test_sniff_by_markup_then_declared_type():
    page = news_html().encode()
    assert sniff_format(page, "catatan.txt") == "html"
    assert sniff_format(b"Catatan biasa tanpa markup.", "x.txt") == "text"
    assert sniff_format(b"Catatan biasa tanpa markup.", "x", "text/html; charset=utf-8") == "html"
    assert sniff_format(b"Catatan biasa tanpa markup.", "https://a.id/b.htm") == "html"
    assert sniff_format(b"<p>Paragraf</p><div>satu</div><p>dua</p>", "tanpa-akhiran") == "html"
    with pytest.raises(CorruptDocument, match="no %PDF- header"):
        sniff_format(b"Bukan PDF sama sekali.", "dokumen.pdf")
    with pytest.raises(CorruptDocument):
        sniff_format(b"Bukan PDF.", "unduh", "application/pdf")


def test_supported_suffixes():
    assert {".pdf", ".html", ".htm", ".txt", ".md", ".markdown"} == SUPPORTED_SUFFIXES


# ---------------------------------------------------------------- HTML


def test_html_main_text_without_boilerplate_and_with_paragraphs():
    head = (
        '<link rel="canonical" href="https://bukitindah.example.id/berita/pkp-sungai-jernih">'
        '<meta property="article:published_time" content="2022-06-14T09:00:00+07:00">'
    )
    doc = read_bytes(news_html(head_extra=head).encode("utf-8"), "https://bukitindah.example.id/x")
    assert doc.doc_type == "html"
    assert [page.number for page in doc.pages] == [1]
    text = doc.text
    assert PARAGRAPH_1 in text and PARAGRAPH_2 in text
    assert f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}" in text  # paragraph breaks kept
    for boilerplate in ("Beranda", "Bagikan", "Hak cipta", "Berita Terpopuler", "Car Free Day"):
        assert boilerplate not in text
    assert "Peserta PKP Sungai Jernih Studi Lapangan ke Kota Bukit Indah" in doc.title
    assert doc.canonical_url == "https://bukitindah.example.id/berita/pkp-sungai-jernih"
    assert doc.published_date == date(2022, 6, 14)
    assert doc.language == "id"


def test_html_date_from_dateline_time_element_or_url():
    dateline = news_html(dateline="<p>Selasa, 14 Juni 2022 | 10:05 WIB</p>")
    assert read_bytes(dateline.encode(), "a.html").published_date == date(2022, 6, 14)
    timed = news_html(dateline='<time datetime="2021-09-30T08:00:00+07:00">30/09/2021</time>')
    assert read_bytes(timed.encode(), "b.html").published_date == date(2021, 9, 30)
    in_url = news_html(head_extra='<link rel="canonical" href="https://a.id/2019/05/07/pkp">')
    assert read_bytes(in_url.encode(), "c.html").published_date == date(2019, 5, 7)
    assert read_bytes(news_html().encode(), "d.html").published_date is None  # none stated


def test_html_og_url_and_relative_canonical():
    og = news_html(head_extra='<meta property="og:url" content="https://a.id/berita/1">')
    assert read_bytes(og.encode(), "a.html").canonical_url == "https://a.id/berita/1"
    relative = news_html(head_extra='<link rel="canonical" href="/berita/2">')
    doc = read_bytes(relative.encode(), "https://a.id/berita/2?utm_source=wa")
    assert doc.canonical_url == "https://a.id/berita/2"
    assert read_bytes(relative.encode(), "/tmp/halaman.html").canonical_url is None


@pytest.mark.parametrize(
    ("charset", "content_type"),
    [
        ("windows-1252", None),  # declared in <meta>
        ("iso-8859-1", None),  # labelled Latin-1, read as Windows-1252 as browsers do
        (None, "text/html; charset=windows-1252"),  # declared by the server only
        (None, None),  # not declared at all: detected
        ("utf-8", None),  # declared wrongly
    ],
)
def test_html_windows_1252(charset, content_type):
    data = news_html(charset=charset).encode("cp1252")
    doc = read_bytes(data, "https://a.id/b", content_type=content_type)
    assert "\u201cKami belajar banyak dari sini,\u201d kata" in doc.text
    assert "Rp 1.250.000" in doc.text
    assert "\ufffd" not in doc.text


def test_html_tables_become_rows():
    table = (
        "<table><tr><th>Indikator</th><th>2022</th><th>2023</th></tr>"
        "<tr><td>Indeks Kepuasan</td><td>96,1</td><td>98,5</td></tr>"
        '<tr><td colspan="2">Jumlah izin</td><td>1.250</td></tr></table>'
    )
    page = news_html().replace("</article>", table + "</article>")
    doc = read_bytes(page.encode(), "t.html")
    assert len(doc.tables) == 1
    assert doc.tables[0].page == 1
    assert doc.tables[0].rows == [
        ["Indikator", "2022", "2023"],
        ["Indeks Kepuasan", "96,1", "98,5"],
        ["Jumlah izin", None, "1.250"],
    ]


def test_html_layout_tables_are_not_data_tables():
    page = f"<html><body><table><tr><td><table><tr><td>{PARAGRAPH_1}</td><td>x</td></tr>"
    page += "</table></td></tr></table></body></html>"
    doc = read_bytes(page.encode(), "layout.html")
    assert [len(t.rows) for t in doc.tables] == [1]  # only the inner table


def test_html_short_page_still_gives_its_text_and_plain_fallback_drops_menus():
    page = "<html><body><nav>Menu Utama</nav><div>Kunjungan kerja ke kecamatan.</div></body></html>"
    doc = read_bytes(page.encode(), "pendek.html")
    assert "Kunjungan kerja ke kecamatan." in doc.text
    plain = plain_body_text(parse_html(news_html()))
    assert PARAGRAPH_1 in plain and "Beranda" not in plain and "Hak cipta" not in plain


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Kosong</title></head><body></body></html>",
        "<html><body><script>var a = 1;</script><nav>Beranda</nav></body></html>",
        "   \n  ",
    ],
)
def test_html_without_text_is_empty(page):
    with pytest.raises(EmptyDocument):
        read_bytes(page.encode(), "kosong.html")


def test_reading_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    head = '<link rel="canonical" href="https://bukitindah.example.id/berita/pkp">'
    doc = read_bytes(news_html(head_extra=head).encode(), "https://bukitindah.example.id/berita/pkp")
    assert PARAGRAPH_1 in doc.text


# ---------------------------------------------------------------- text


def test_markdown_title_and_single_page():
    text = f"# Ringkasan *Bank Sampah* Kelurahan\n\n{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n"
    doc = read_bytes(text.encode(), "ringkasan.md")
    assert doc.doc_type == "text"
    assert doc.title == "Ringkasan Bank Sampah Kelurahan"
    assert [page.number for page in doc.pages] == [1]
    assert PARAGRAPH_2 in doc.text
    assert doc.language == "id"


def test_a_press_release_is_titled_by_its_headline_not_its_genre_label():
    text = (
        "SIARAN PERS\nDinas Kominfo Kota Bukit Indah\nNomor: 12/SP/2019\n\n"
        f"Warga Kini Mengurus Izin dari Rumah\n\n{PARAGRAPH_1}\n"
    )
    assert read_bytes(text.encode(), "rilis.txt").title == "Warga Kini Mengurus Izin dari Rumah"
    # A genre label with nothing after a header block stays the title.
    assert read_bytes(f"Siaran Pers\n{PARAGRAPH_1}\n".encode(), "b.txt").title == "Siaran Pers"


def test_text_source_line_dateline_and_windows_1252():
    text = (
        "Laporan Singkat Kunjungan Diklatpim\r\n"
        "https://bukitindah.example.id/laporan/diklatpim\r\n"
        "Bukit Indah, 3 Agustus 2018\r\n\r\n"
        f"{PARAGRAPH_1} \u201cLayanan cepat,\u201d ujar camat. Anggaran Rp 12.500.000.\r\n"
    )
    doc = read_bytes(text.encode("cp1252"), "laporan.txt")
    assert doc.title == "Laporan Singkat Kunjungan Diklatpim"
    assert doc.canonical_url == "https://bukitindah.example.id/laporan/diklatpim"
    assert doc.published_date == date(2018, 8, 3)
    assert "\u201cLayanan cepat,\u201d" in doc.text and "\r" not in doc.text


def test_text_with_utf16_bom():
    doc = read_bytes(("\ufeff" + PARAGRAPH_1).encode("utf-16-le"), "u16.txt")
    assert doc.text == PARAGRAPH_1


# ---------------------------------------------------------------- bad input


def test_empty_bytes_and_empty_file(tmp_path):
    with pytest.raises(EmptyDocument, match="0 bytes"):
        read_bytes(b"", "kosong.pdf")
    path = tmp_path / "kosong.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument):
        read_path(path)
    with pytest.raises(EmptyDocument):
        read_bytes(b" \n\t \n", "spasi.txt")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "JPEG"),
        (zlib.compress(random.Random(1).randbytes(3000)), "binary"),
        (random.Random(2).randbytes(5000), "binary"),
    ],
)
def test_binary_files_are_unsupported(data, name):
    with pytest.raises(UnsupportedFormat, match=name):
        read_bytes(data, "lampiran.txt")


def test_too_large(tmp_path):
    data = make_pdf([PARAGRAPH_1])
    with pytest.raises(TooLarge, match="limit"):
        read_bytes(data, "besar.pdf", max_bytes=len(data) - 1)
    assert read_bytes(data, "pas.pdf", max_bytes=len(data)).doc_type == "pdf"
    huge = tmp_path / "besar.pdf"
    with huge.open("wb") as handle:  # sparse: 4 GiB on paper, nothing on disk
        handle.truncate(4 * 1024**3)
    with pytest.raises(TooLarge, match="GB|MB"):
        read_path(huge, max_bytes=200_000_000)  # refused from its size, before reading


def test_read_path_uses_resolved_absolute_path(tmp_path, monkeypatch):
    path = tmp_path / "catatan.txt"
    path.write_text("Catatan kunjungan ke Bappeda.\n" + PARAGRAPH_1, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = read_path(Path("catatan.txt"))
    assert doc.source_uri == str(path.resolve())
    assert Path(doc.source_uri).is_absolute()


# ---------------------------------------------------------------- small pure parts


def test_dates():
    assert parse_date("Senin, 9 April 2018 10:00 WIB") == date(2018, 4, 9)
    assert parse_date("Jumat, 13 Pebruari 2015") == date(2015, 2, 13)
    assert parse_date("diperbarui 2019-07-13T10:00") == date(2019, 7, 13)
    assert parse_date("Rabu (13/04/2016)") == date(2016, 4, 13)
    assert parse_date("June 5, 2020") == date(2020, 6, 5)
    assert parse_date("31 Februari 2020") is None
    assert parse_date("Tahun 2018 ada 1.250 peserta") is None
    assert date_from_url("https://a.id/2021/11/17/judul") == date(2021, 11, 17)
    assert date_from_url("https://a.id/2015/10/judul.html") is None  # no day: not a full date
    assert parse_pdf_date("D:20150720161648-05'00'") == date(2015, 7, 20)
    assert parse_pdf_date("D:00000000") is None
    body = "Judul Berita\nKamis, 22 Juni 2023 | 14:45 WITA - Editor: Rina\nIsi berita."
    assert find_stated_date(body, skip="Judul Berita") == date(2023, 6, 22)
    prose = (
        "Judul\nPara peserta yang datang dari berbagai daerah di Sumatera melaksanakan kunjungan "
        "lapangan pada 9 April 2018 ke beberapa dinas."
    )
    assert find_stated_date(prose) is None  # a date inside a sentence is not a dateline


def test_decode_bytes():
    assert decode_bytes("caf\u00e9".encode("utf-8-sig")) == ("caf\u00e9", "utf-8-sig")
    quoted = "\u201cYa, kami siap,\u201d kata Camat Sungai Jernih."
    assert decode_bytes(quoted.encode("cp1252"))[0] == quoted
    assert decode_bytes("caf\u00e9".encode("cp1252"), "latin-1") == ("caf\u00e9", "cp1252")


def test_detect_language():
    assert detect_language(PARAGRAPH_1 + " " + PARAGRAPH_2) == "id"
    english = (
        "Forty participants of the supervisory leadership training visited the city to learn "
        "how the licensing office serves residents and businesses."
    )
    assert detect_language(english) == "en"
    malay_leaning = "Kerajaan negeri telah meluluskan peruntukan bagi membantu usahawan kecil."
    assert detect_language(malay_leaning) == "id"
    assert detect_language("Bappeda") is None
    assert detect_language("") is None


# ---------------------------------------------------------------- samples and shared corpora


def test_samples_read_and_pdf_matches_its_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == module.OUT.read_bytes()  # committed PDF is what the script makes

    docs = {p.suffix: [] for p in SAMPLES.iterdir()}
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in SUPPORTED_SUFFIXES:
            doc = read_path(path)
            docs[path.suffix].append(doc)
            assert doc.language == "id" and doc.title and doc.published_date
            assert 1500 <= len(doc.text) <= 4500
    assert len(docs[".pdf"]) == 1 and len(docs[".html"]) >= 2 and len(docs[".txt"]) >= 1
    report = docs[".pdf"][0]
    assert len(report.pages) >= 3 and report.tables
    assert "mal pelayanan publik" in report.text.lower()


def test_every_real_pdf_reads_or_raises_a_read_error():
    pdfs = sorted(REAL_PDFS.glob("*.pdf"))
    assert len(pdfs) >= 40
    outcomes: dict[str, type] = {}
    for path in pdfs:
        try:
            doc = read_path(path)
        except ReadError as exc:
            assert str(exc), path.name
            outcomes[path.name] = type(exc)
        else:
            assert doc.pages and [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
            assert any(page.text.strip() for page in doc.pages)
            assert all(1 <= table.page <= len(doc.pages) for table in doc.tables)
            assert all(isinstance(v, str) for v in doc.metadata.values())
            outcomes[path.name] = Document
    assert outcomes["empty.pdf"] is EmptyDocument
    assert outcomes["password-example.pdf"] is EncryptedDocument
    assert outcomes["malformed-from-issue-932.pdf"] in (Document, CorruptDocument)
    failed = [name for name, kind in outcomes.items() if kind is not Document]
    assert len(failed) <= 5, failed  # nearly all real-world PDFs are readable


def test_indonesian_decree_tables_keep_indonesian_numbers():
    doc = read_path(REAL_PDFS / "kepmendagri-wilayah-excerpt.pdf")
    assert doc.language == "id"
    cells = [cell for table in doc.tables for row in table.rows for cell in row if cell]
    assert any("," in cell and cell.replace(".", "").replace(",", "").isdigit() for cell in cells)


def test_dev_documents_match_hand_annotations():
    annotations = json.loads((DEV / "annotations.json").read_text(encoding="utf-8"))
    for item in annotations.values():
        doc = read_path(DEV / "docs" / item["file"])
        assert doc.title == item["title"], item["file"]
        assert doc.canonical_url == item["url"], item["file"]
        assert doc.language == "id", item["file"]
        assert len(doc.text) > 500, item["file"]
