"""Invented benchmarking documents in bulk (PDF, HTML and text) for flow tests and benchmarks.

Every text is made up here: programmes, invented regions and units, topics and figures are
combined by index, so document i is always the same and no two documents are identical.
"""

from __future__ import annotations

from pathlib import Path

PROGRAMS = ("PKN II", "PKA", "PKP", "Diklatpim III", "Diklatpim IV")
REGIONS = ("Kabupaten Sukamaju", "Kota Pelita Raya", "Kabupaten Tanjung Sari", "Kota Bukit Harapan",
           "Kabupaten Muara Jaya", "Kota Sinar Baru")
UNITS = ("Bappeda", "Dinas Kependudukan dan Pencatatan Sipil", "DPMPTSP", "Kecamatan Mekarsari",
         "Dinas Lingkungan Hidup", "RSUD", "Dinas Koperasi dan UKM", "Inspektorat")
TOPICS = ("mal pelayanan publik", "bank sampah digital", "perizinan daring", "posyandu remaja",
          "arsip elektronik", "layanan jemput bola KTP-el", "sekolah wirausaha desa",
          "perencanaan berbasis data desa", "pengaduan warga lewat WhatsApp", "koperasi pemuda")
KINDS = ("pdf", "html", "txt")


def text_of(i: int, version: int = 0) -> tuple[str, str]:
    """(title, body) of invented document i; another version changes its figures."""
    program = PROGRAMS[i % len(PROGRAMS)]
    region = REGIONS[(i // 5) % len(REGIONS)]
    unit = UNITS[(i // 3) % len(UNITS)]
    topic = TOPICS[(i * 7) % len(TOPICS)]
    people = 20 + (i * 13 + version * 7) % 40
    percent = 10 + (i * 17 + version * 11) % 60
    title = f"Laporan Kelompok {i % 9 + 1} {program} Angkatan {i % 30 + 1}: {topic} di {region}"
    body = (
        f"Peserta {program} Angkatan {i % 30 + 1} sebanyak {people} orang melaksanakan "
        f"benchmarking ke {unit} {region} pada tahun {2019 + i % 6}. Kelompok {i % 9 + 1} "
        f"mempelajari inovasi {topic}, yang memangkas waktu layanan sebesar {percent} persen. "
        f"Dokumen nomor {i} versi {version}."
    )
    return title, body


def pdf_of(title: str, body: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def html_of(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><nav><a href='/'>Beranda</a></nav><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>").encode()


def document_bytes(i: int, version: int = 0) -> tuple[str, bytes]:
    """(file name, bytes) of document i: PDFs, HTML pages and text files in turn."""
    title, body = text_of(i, version)
    kind = KINDS[i % len(KINDS)]
    name = f"laporan-{i:04d}.{kind}"
    if kind == "pdf":
        return name, pdf_of(title, body)
    if kind == "html":
        return name, html_of(title, body)
    return name, f"{title}\n\n{body}\n".encode()


def write_documents(folder: Path, n: int, *, start: int = 0) -> list[Path]:
    """Write documents start..start+n-1 into folder (in sub-folders of 100); returns their paths."""
    paths = []
    for i in range(start, start + n):
        name, data = document_bytes(i)
        path = folder / f"angkatan-{i // 100:02d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def change_document(path: Path, i: int, version: int) -> None:
    """Rewrite document i at path as another version (new figures, new bytes)."""
    path.write_bytes(document_bytes(i, version)[1])
