"""A realistic invented corpus for the benchmark suite: multi-page PDFs with tables, and HTML pages.

Every word is made up here from a small vocabulary and sentence templates (Indonesian, in the
style of benchmarking reports and regional news); place names are real regions so the region
gazetteer and the site ranking have something to count. Document i depends only on (seed, i),
so a smaller corpus is a prefix of a larger one and every run of the same size is identical.

    .venv/bin/python bench/corpus.py 10000 build/bench-corpus/10000   # about 10,000 chunks

Sizes are counted in search chunks (800 characters, 120 overlap, as `search.chunking` cuts the
generator's own page texts); the PDF text a reader gets back differs a little in line breaks,
so the suite reports the chunk count it actually loaded.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from search.chunking import chunk_spans  # noqa: E402

VERSION = 2  # bump when the generator's output changes: cached corpora are then rebuilt
CHUNK_CHARS, CHUNK_OVERLAP = 800, 120
SIZES = (1_000, 10_000, 100_000)
DOCS_PER_FOLDER = 1_000

PROGRAMS = ("PKN Tingkat II", "PKA", "PKP", "Diklatpim Tingkat III", "Diklatpim Tingkat IV",
            "PKN Tingkat I")  # fmt: skip
ORGANISERS = ("BPSDM Provinsi Jawa Tengah", "BPSDM Provinsi Riau", "BPSDM Kementerian Dalam Negeri",
              "Lembaga Administrasi Negara", "BPSDM Provinsi Sulawesi Selatan",
              "BPSDM Provinsi Kalimantan Timur", "Pusdiklat Kementerian Agama",
              "BPSDM Provinsi Nusa Tenggara Barat")  # fmt: skip
HOSTS = ("Kabupaten Banyuwangi", "Kota Surabaya", "Kabupaten Sumedang", "Kota Bandung",
         "Kabupaten Kulon Progo", "Kota Makassar", "Kabupaten Badung", "Kota Semarang",
         "Kabupaten Sragen", "Kota Tangerang", "Kabupaten Siak", "Kota Bontang", "Kabupaten Gowa",
         "Kota Pekanbaru", "Kabupaten Bantaeng", "Kota Denpasar", "Kabupaten Trenggalek",
         "Kota Padang Panjang", "Kabupaten Bojonegoro", "Kota Yogyakarta")  # fmt: skip
ORIGINS = ("Provinsi Jambi", "Kabupaten Merauke", "Kota Ambon", "Kabupaten Kapuas", "Kota Kupang",
           "Kabupaten Aceh Besar", "Kota Palu", "Kabupaten Lombok Timur", "Provinsi Bengkulu",
           "Kabupaten Halmahera Utara")  # fmt: skip
UNITS = ("Bappeda", "Dinas Kependudukan dan Pencatatan Sipil", "DPMPTSP", "Dinas Kesehatan",
         "Dinas Lingkungan Hidup", "RSUD", "Dinas Koperasi dan UKM", "Inspektorat", "BKPSDM",
         "Dinas Komunikasi dan Informatika", "Dinas Pendidikan", "Badan Pendapatan Daerah")  # fmt: skip
DISTRICTS = ("Kecamatan Sukamulya", "Kecamatan Tegalrejo", "Kecamatan Karangsari",
             "Kecamatan Sidomukti", "Kecamatan Mekarjaya")  # fmt: skip
PRACTICES = ("Mal Pelayanan Publik", "bank sampah digital", "perizinan daring terpadu",
             "posyandu remaja", "arsip elektronik", "layanan jemput bola KTP-el",
             "sekolah wirausaha desa", "perencanaan berbasis data desa", "pengaduan warga daring",
             "koperasi pemuda", "smart kampung", "rumah sakit tanpa antrean", "e-budgeting",
             "satu data daerah", "desa digital", "tabungan sampah sekolah", "klinik UMKM",
             "pajak daerah nontunai", "sistem merit ASN", "ambulans desa")  # fmt: skip
TOPICS = ("pelayanan publik", "tata kelola keuangan daerah", "reformasi birokrasi",
          "pengelolaan sampah", "kesehatan ibu dan anak", "pemberdayaan UMKM", "digitalisasi layanan",
          "pengendalian inflasi daerah", "penurunan stunting", "manajemen ASN", "pariwisata desa",
          "perencanaan pembangunan")  # fmt: skip
AWARDS = ("Top 45 Inovasi Pelayanan Publik", "Anugerah Pangripta Nusantara", "predikat WTP",
          "Penghargaan Pembangunan Daerah", "Kabupaten Layak Anak", "Adipura Kencana",
          "Zona Integritas WBK")  # fmt: skip
FIRST = ("Agus", "Siti", "Bambang", "Dewi", "Hendra", "Rina", "Made", "Nur", "Yusuf", "Lestari",
         "Andi", "Wahyu", "Ratna", "Fajar", "Intan")  # fmt: skip
LAST = ("Prasetyo", "Rahmawati", "Santoso", "Wijaya", "Hidayat", "Kusuma", "Saputra", "Lubis",
        "Nasution", "Pratama", "Setiawan", "Maharani")  # fmt: skip
ROLES = ("Kepala Bappeda", "Sekretaris Daerah", "Kepala Dinas", "Camat", "Asisten Pemerintahan",
         "Kepala Bidang Inovasi")  # fmt: skip
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")  # fmt: skip
INDICATORS = ("Waktu layanan (hari)", "Jumlah pengguna layanan", "Indeks kepuasan masyarakat",
              "Pendapatan asli daerah (miliar Rp)", "Cakupan layanan (%)", "Jumlah inovasi",
              "Jumlah aduan tertangani", "Prevalensi stunting (%)",
              "Volume sampah terkelola (ton)")  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
         "XV", "XVI", "XVII", "XVIII", "XIX", "XX")  # fmt: skip
SECTIONS = ("Latar Belakang", "Maksud dan Tujuan", "Waktu dan Tempat Pelaksanaan", "Profil Lokus",
            "Hasil Benchmarking", "Praktik Terbaik", "Capaian Kinerja", "Pembelajaran",
            "Rencana Aksi dan Rekomendasi", "Penutup")  # fmt: skip

SENTENCES = (
    "Peserta {program} Angkatan {cohort} {organiser} melaksanakan benchmarking ke {host} "
    "pada {day} {month} {year}.",
    "Kegiatan ini diikuti oleh {n} orang peserta yang dibagi ke dalam {groups} kelompok.",
    "Kelompok {group} mempelajari {practice} di {unit} {host}.",
    "Inovasi {practice} memangkas waktu layanan dari {a} hari menjadi {b} hari.",
    "{host} meraih {award} pada tahun {year_award} berkat inovasi {practice}.",
    "{person}, {role} {host}, menjelaskan bahwa {practice} lahir dari keluhan warga tentang "
    "{topic}.",
    "Menurut {person}, kunci keberhasilan {practice} adalah komitmen pimpinan dan kolaborasi "
    "lintas perangkat daerah.",
    "Jumlah pengguna layanan meningkat {pct} persen dalam {years} tahun terakhir.",
    "Peserta berdiskusi dengan pengelola {unit} mengenai tantangan {topic} di tingkat "
    "{district}.",
    "Hasil benchmarking menjadi bahan rancangan proyek perubahan peserta di daerah asal, "
    "yaitu {origin}.",
    "Praktik terbaik ini dinilai dapat direplikasi di {origin} dengan penyesuaian anggaran "
    "sebesar Rp{money} juta.",
    "Tim {unit} memaparkan tahapan pelaksanaan, mulai dari pemetaan proses bisnis hingga "
    "evaluasi berkala setiap {period}.",
    "Sebanyak {k} desa telah menerapkan {practice} dengan dukungan dana desa.",
    "Program {practice} terintegrasi dengan aplikasi {app} yang dapat diunduh warga.",
    "Indeks kepuasan masyarakat terhadap layanan {unit} mencapai {ikm} pada tahun {year}.",
    "Kunjungan lapangan dilanjutkan ke {district} untuk melihat langsung {practice}.",
    "Para peserta mencatat bahwa {topic} memerlukan data yang mutakhir dan terbuka.",
    "Dalam sesi tanya jawab, peserta menanyakan regulasi yang menjadi dasar {practice}, antara "
    "lain Peraturan Bupati Nomor {reg} Tahun {year_reg}.",
)


@dataclass
class DocSpec:
    """One generated file and what the generator knows about it."""

    path: str  # relative to the corpus folder
    kind: str  # pdf | html
    pages: int
    tables: int
    est_chunks: int


@dataclass
class Manifest:
    """What a corpus folder holds (written as manifest.json beside the files)."""

    seed: int
    target_chunks: int
    version: int = VERSION
    est_chunks: int = 0
    pdf_pages: int = 0
    documents: list[DocSpec] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def files(self) -> list[str]:
        return [d.path for d in self.documents]


def _slots(rng: random.Random, doc: dict) -> dict:
    year = doc["year"]
    return {
        **doc,
        "group": rng.randint(1, doc["groups"]),
        "practice": rng.choice(PRACTICES),
        "unit": rng.choice(UNITS),
        "district": rng.choice(DISTRICTS),
        "topic": rng.choice(TOPICS),
        "award": rng.choice(AWARDS),
        "year_award": year - rng.randint(0, 3),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": rng.choice(ROLES),
        "a": rng.randint(7, 30),
        "b": rng.randint(1, 6),
        "pct": rng.randint(5, 90),
        "years": rng.randint(2, 5),
        "money": rng.randint(50, 2500),
        "period": rng.choice(("bulan", "triwulan", "semester")),
        "k": rng.randint(3, 240),
        "app": rng.choice(("SiLayan", "e-Warga", "Sapa Desa", "Lapor Cepat", "Si Ramah")),
        "ikm": f"{rng.uniform(70, 95):.2f}".replace(".", ","),
        "reg": rng.randint(1, 90),
        "year_reg": year - rng.randint(1, 4),
    }


def paragraph(rng: random.Random, doc: dict, sentences: int) -> str:
    """Invented sentences about one visit, filled from the vocabulary."""
    return " ".join(rng.choice(SENTENCES).format(**_slots(rng, doc)) for _ in range(sentences))


def _doc_facts(rng: random.Random) -> dict:
    return {
        "program": rng.choice(PROGRAMS),
        "cohort": rng.choice(ROMAN),
        "organiser": rng.choice(ORGANISERS),
        "host": rng.choice(HOSTS),
        "origin": rng.choice(ORIGINS),
        "year": rng.randint(2016, 2025),
        "day": rng.randint(1, 28),
        "month": rng.choice(MONTHS),
        "n": rng.randint(20, 60),
        "groups": rng.randint(3, 6),
    }


def _created(doc: dict) -> datetime:
    return datetime(doc["year"], MONTHS.index(doc["month"]) + 1, doc["day"], 9, 0, tzinfo=UTC)


def _table_rows(rng: random.Random, doc: dict) -> list[list[str]]:
    rows = [["No", "Indikator", "Target", "Realisasi"]]
    for number, indicator in enumerate(rng.sample(INDICATORS, rng.randint(3, 6)), start=1):
        target = rng.randint(10, 500)
        rows.append([str(number), indicator, str(target), str(target + rng.randint(-8, 40))])
    return rows


def pdf_pages_text(rng: random.Random, doc: dict, n_pages: int) -> list[tuple[list[str], list | None]]:
    """Per page: paragraphs (the first may be a heading) and an optional table."""
    pages = []
    title = (f"LAPORAN BENCHMARKING {doc['program'].upper()} ANGKATAN {doc['cohort']} "
             f"KE {doc['host'].upper()} TAHUN {doc['year']}")  # fmt: skip
    for number in range(1, n_pages + 1):
        paras = [title] if number == 1 else [f"{SECTIONS[(number - 2) % len(SECTIONS)]}"]
        for _ in range(rng.randint(4, 6)):
            paras.append(paragraph(rng, doc, rng.randint(3, 5)))
        table = _table_rows(rng, doc) if rng.random() < 0.3 else None
        pages.append((paras, table))
    return pages


def pdf_bytes(pages: list[tuple[list[str], list | None]], title: str, created: datetime) -> bytes:
    """A PDF drawn with fpdf2's low-level calls (fast): wrapped lines, ruled tables, page numbers."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_creation_date(created)  # fixed, so the same document gives the same bytes
    pdf.set_creator("Lokus bench corpus")
    for number, (paras, table) in enumerate(pages, start=1):
        pdf.add_page()
        y = 20.0
        for i, para in enumerate(paras):
            heading = i == 0
            pdf.set_font("Helvetica", style="B" if heading else "", size=11 if heading else 10)
            for line in textwrap.wrap(para, 72 if heading else 98):
                if y > 270:
                    break
                pdf.text(15, y, line)
                y += 5
            y += 3
        if table and y < 230:
            widths = (12, 98, 35, 35)
            y += 2
            pdf.set_font("Helvetica", size=9)
            for r, row in enumerate(table):
                x = 15.0
                for width, cell in zip(widths, row, strict=True):
                    pdf.rect(x, y, width, 7)
                    pdf.set_font("Helvetica", style="B" if r == 0 else "", size=9)
                    pdf.text(x + 1.5, y + 5, cell[: int(width / 1.8)])
                    x += width
                y += 7
        pdf.set_font("Helvetica", size=8)
        pdf.text(100, 290, f"Halaman {number}")
    return bytes(pdf.output())


def page_text(paras: list[str], table: list | None) -> str:
    """Roughly the text a reader gets back from a generated page (for the chunk estimate)."""
    rows = [" ".join(row) for row in table] if table else []
    return "\n".join([*paras, *rows])


def html_page(rng: random.Random, doc: dict) -> tuple[bytes, str]:
    """A regional news page: menu and footer around an article, sometimes with a table."""
    title = (f"Peserta {doc['program']} Angkatan {doc['cohort']} Benchmarking ke "
             f"{doc['host']}")  # fmt: skip
    city = doc["host"].split(" ", 1)[1].upper()
    paras = [f"{city} - " + paragraph(rng, doc, 3)]
    paras += [paragraph(rng, doc, rng.randint(2, 5)) for _ in range(rng.randint(3, 14))]
    table = _table_rows(rng, doc) if rng.random() < 0.25 else None
    body = "".join(f"<p>{p}</p>" for p in paras)
    if table:
        head = "".join(f"<th>{c}</th>" for c in table[0])
        rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in table[1:])
        body += f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    date = f"{doc['year']}-{MONTHS.index(doc['month']) + 1:02d}-{doc['day']:02d}"
    html = (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{title} | Warta Daerah</title>"
        f"<meta property='article:published_time' content='{date}'></head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/berita'>Berita</a> <a href='/profil'>Profil</a></nav>"
        f"<article><h1>{title}</h1><time datetime='{date}'>{doc['day']} {doc['month']} "
        f"{doc['year']}</time>{body}</article>"
        "<footer>Hak cipta Warta Daerah. Seluruh isi dilindungi undang-undang.</footer>"
        "</body></html>"
    )
    return html.encode("utf-8"), "\n\n".join([title, *paras, *(" ".join(r) for r in table or [])])


def est_chunks(texts: list[str]) -> int:
    """Chunks `search.chunking` cuts from these page texts."""
    return sum(len(chunk_spans(t, CHUNK_CHARS, CHUNK_OVERLAP)) for t in texts)


def document(seed: int, i: int) -> tuple[str, bytes, DocSpec]:
    """(file name, bytes, spec) of document i: 60 % PDF reports (1 in 40 long), 40 % news pages."""
    rng = random.Random(f"lokus-bench-{seed}-{i}")
    doc = _doc_facts(rng)
    if rng.random() < 0.6:
        n_pages = rng.randint(40, 120) if i % 40 == 39 else rng.randint(2, 12)
        pages = pdf_pages_text(rng, doc, n_pages)
        title = (f"Laporan Benchmarking {doc['program']} Angkatan {doc['cohort']} ke {doc['host']} "
                 f"Tahun {doc['year']}")  # fmt: skip
        data = pdf_bytes(pages, title, _created(doc))
        texts = [page_text(paras, table) for paras, table in pages]
        tables = sum(1 for _, t in pages if t)
        name = f"laporan-{i:06d}.pdf"
        return name, data, DocSpec(name, "pdf", n_pages, tables, est_chunks(texts))
    data, text = html_page(rng, doc)
    name = f"berita-{i:06d}.html"
    return name, data, DocSpec(name, "html", 1, int("<table>" in data.decode()), est_chunks([text]))


def long_pdf(pages: int, seed: int = 1) -> bytes:
    """One report of `pages` pages (a third with tables): the bounded-memory test's input."""
    rng = random.Random(f"lokus-long-{seed}")
    doc = _doc_facts(rng)
    content = pdf_pages_text(rng, doc, pages)
    return pdf_bytes(content, "Laporan panjang", _created(doc))


def generate(folder: Path, target_chunks: int, *, seed: int = 7, quiet: bool = False) -> Manifest:
    """Write documents into folder until they hold about target_chunks chunks (reuses a match)."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        old = load_manifest(folder)
        if (old.seed, old.target_chunks, old.version) == (seed, target_chunks, VERSION):
            return old
    started = time.perf_counter()
    manifest = Manifest(seed=seed, target_chunks=target_chunks)
    i = 0
    while manifest.est_chunks < target_chunks:
        name, data, spec = document(seed, i)
        spec.path = f"{i // DOCS_PER_FOLDER:03d}/{name}"
        path = folder / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        manifest.documents.append(spec)
        manifest.est_chunks += spec.est_chunks
        manifest.pdf_pages += spec.pages if spec.kind == "pdf" else 0
        i += 1
        if not quiet and i % 500 == 0:
            print(f"  {i} documents, ~{manifest.est_chunks} chunks", flush=True)
    manifest.seconds = time.perf_counter() - started
    manifest_path.write_text(json.dumps(asdict(manifest), indent=1), encoding="utf-8")
    return manifest


def load_manifest(folder: Path) -> Manifest:
    data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    docs = [DocSpec(**d) for d in data.pop("documents")]
    return Manifest(**data, documents=docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chunks", type=int, help="about how many search chunks (1000, 10000, 100000)")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    m = generate(args.folder, args.chunks, seed=args.seed)
    kinds = {k: sum(1 for d in m.documents if d.kind == k) for k in ("pdf", "html")}
    print(f"{len(m.documents)} documents ({kinds['pdf']} PDF with {m.pdf_pages} pages, "
          f"{kinds['html']} HTML), ~{m.est_chunks} chunks, in {m.seconds:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
