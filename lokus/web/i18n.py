"""Interface text in Indonesian (the default) and English, chosen by `?lang=` or a cookie."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

LANGS = ("id", "en")
DEFAULT_LANG = "id"
COOKIE = "lang"

# key: (Indonesian, English). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("Lokus — praktik terbaik benchmarking", "Lokus — benchmarking best practices"),
    "app.tagline": (
        "Cari praktik terbaik dari kunjungan benchmarking pelatihan kepemimpinan",
        "Find best practices from leadership-training benchmarking visits",
    ),
    "nav.search": ("Cari", "Search"),
    "nav.sites": ("Lokus", "Sites"),
    "nav.compare": ("Bandingkan", "Compare"),
    "nav.charts": ("Grafik", "Charts"),
    "nav.sql": ("SQL", "SQL"),
    "nav.api": ("API", "API"),
    "lang.switch": ("English", "Bahasa Indonesia"),
    "search.placeholder": (
        "mis. inovasi pelayanan publik, mal pelayanan, Banyuwangi",
        "e.g. public service innovation, service mall, Banyuwangi",
    ),
    "search.button": ("Cari", "Search"),
    "search.filters": ("Saring", "Filters"),
    "search.apply": ("Terapkan", "Apply"),
    "search.reset": ("Hapus saringan", "Clear filters"),
    "filter.province": ("Provinsi", "Province"),
    "filter.region": ("Daerah tuan rumah", "Host region"),
    "filter.program": ("Program pelatihan", "Training programme"),
    "filter.year_from": ("Tahun dari", "Year from"),
    "filter.year_to": ("sampai", "to"),
    "filter.doc_type": ("Jenis dokumen", "Document type"),
    "filter.any": ("Semua", "Any"),
    "search.results": ("{n} dokumen ditemukan untuk “{q}”", "{n} documents found for “{q}”"),
    "search.none": (
        "Tidak ada dokumen yang cocok. Coba kata lain atau hapus saringan.",
        "No matching documents. Try other words or clear the filters.",
    ),
    "search.empty": (
        "Ketik kata kunci dalam bahasa Indonesia atau Inggris untuk mulai mencari.",
        "Type words in Indonesian or English to start searching.",
    ),
    "search.page": ("hlm. {page}", "p. {page}"),
    "search.more_passages": ("Bagian lain yang cocok", "Other matching passages"),
    "result.host": ("Tuan rumah", "Host"),
    "result.units": ("Unit", "Units"),
    "result.date": ("Tanggal", "Date"),
    "result.program": ("Program", "Programme"),
    "result.open": ("Buka dokumen", "Open document"),
    "doc.pages": ("Teks per halaman", "Text by page"),
    "doc.page": ("Halaman {n}", "Page {n}"),
    "doc.tables": ("Tabel", "Tables"),
    "doc.table": ("Tabel {n} (halaman {page})", "Table {n} (page {page})"),
    "doc.facts": ("Fakta yang ditemukan", "Facts found"),
    "doc.no_facts": (
        "Belum ada fakta yang diekstrak dari dokumen ini.",
        "No facts extracted from this document yet.",
    ),
    "doc.source": ("Sumber asli", "Original source"),
    "doc.local_source": ("Berkas lokal", "Local file"),
    "doc.metadata": ("Keterangan dokumen", "Document details"),
    "doc.type": ("Jenis", "Type"),
    "doc.language": ("Bahasa", "Language"),
    "doc.published": ("Terbit", "Published"),
    "doc.ingested": ("Dimuat", "Ingested"),
    "doc.withdrawn": (
        "Dokumen ini sudah tidak ada di sumbernya (ditarik).",
        "This document is gone from its source (withdrawn).",
    ),
    "doc.evidence": ("bukti", "evidence"),
    "doc.show_evidence": ("Lihat di teks", "Show in text"),
    "fact.kind": ("Jenis fakta", "Kind"),
    "fact.value": ("Isi", "Value"),
    "fact.sentence": ("Kalimat sumber", "Source sentence"),
    "sites.title": ("Daerah tuan rumah (lokus)", "Host regions (sites)"),
    "sites.none": ("Belum ada daerah tuan rumah yang dikenali.", "No host regions recognised yet."),
    "sites.visits": ("kunjungan", "visits"),
    "sites.documents": ("dokumen", "documents"),
    "site.profile": ("Profil lokus", "Site profile"),
    "site.visits": ("Kunjungan yang diterima", "Visits received"),
    "site.topics": ("Topik", "Topics"),
    "site.units": ("Unit yang dikunjungi", "Units visited"),
    "site.awards": ("Penghargaan", "Awards"),
    "site.practices": ("Praktik dan inovasi", "Practices and innovations"),
    "site.metrics": ("Angka", "Figures"),
    "site.people": ("Tokoh", "People"),
    "site.origins": ("Asal peserta", "Participants' origins"),
    "site.documents": ("Dokumen", "Documents"),
    "site.compare_with": ("Bandingkan dengan…", "Compare with…"),
    "site.not_found": ("Lokus tidak ditemukan.", "Site not found."),
    "visit.when": ("Kapan", "When"),
    "visit.who": ("Peserta", "Participants"),
    "visit.organiser": ("Penyelenggara", "Organiser"),
    "visit.count": ("Jumlah peserta", "Participants"),
    "visit.cohort": ("Angkatan {n}", "cohort {n}"),
    "visit.people": ("{n} peserta", "{n} participants"),
    "compare.title": ("Bandingkan lokus", "Compare sites"),
    "compare.choose": ("Pilih dua atau tiga lokus", "Choose two or three sites"),
    "compare.button": ("Bandingkan", "Compare"),
    "compare.need_two": ("Pilih sedikitnya dua lokus.", "Choose at least two sites."),
    "charts.title": ("Grafik", "Charts"),
    "charts.per_year": ("Kunjungan per tahun", "Visits per year"),
    "charts.per_region": ("Kunjungan per daerah tuan rumah", "Visits per host region"),
    "charts.topics": ("Topik dari tahun ke tahun", "Topics over time"),
    "charts.none": ("Belum ada data untuk grafik ini.", "No data for this chart yet."),
    "sql.title": ("Ruang kerja SQL", "SQL workspace"),
    "sql.intro": (
        "Satu pernyataan SELECT, hanya-baca. Paling banyak {rows} baris dan {seconds} detik; "
        "akses berkas dan jaringan dimatikan.",
        "One read-only SELECT statement. At most {rows} rows and {seconds} seconds; "
        "file and network access are disabled.",
    ),
    "sql.run": ("Jalankan", "Run"),
    "sql.csv": ("Unduh CSV", "Download CSV"),
    "sql.parquet": ("Unduh Parquet", "Download Parquet"),
    "sql.rows": ("{n} baris", "{n} rows"),
    "sql.truncated": (
        "Hanya {n} baris pertama yang ditampilkan (batas baris).",
        "Only the first {n} rows are shown (row cap).",
    ),
    "sql.refused": ("Pernyataan ditolak", "Statement refused"),
    "sql.views": ("Tabel dan view", "Tables and views"),
    "sql.examples": ("Contoh", "Examples"),
    "sql.disabled": (
        "Ruang kerja SQL dimatikan di server ini (mode hanya-baca).",
        "The SQL workspace is turned off on this server (read-only mode).",
    ),
    "api.title": ("API JSON", "JSON API"),
    "api.intro": (
        "Semua data halaman ini juga tersedia sebagai JSON. Skema OpenAPI lengkap:",
        "Everything on these pages is also available as JSON. The full OpenAPI schema:",
    ),
    "api.params": ("Parameter", "Parameters"),
    "error.title": ("Ada masalah", "Something went wrong"),
    "error.not_found": ("Halaman tidak ditemukan.", "Page not found."),
    "error.not_published": (
        "Belum ada data: gudang data belum pernah diterbitkan oleh proses ingest.",
        "No data yet: no ingest run has published the warehouse.",
    ),
    "error.search": ("Pencarian tidak dapat dijalankan", "Search could not run"),
    "footer.data_as_of": ("Data per {when}", "Data as of {when}"),
    "footer.documents": ("{n} dokumen", "{n} documents"),
    "footer.read_only": ("mode hanya-baca", "read-only mode"),
    "kind.site": ("Lokus", "Site"),
    "kind.visit": ("Kunjungan", "Visit"),
    "kind.group": ("Kelompok", "Group"),
    "kind.origin": ("Asal peserta", "Participants' origin"),
    "kind.unit": ("Unit", "Unit"),
    "kind.award": ("Penghargaan", "Award"),
    "kind.practice": ("Praktik/inovasi", "Practice"),
    "kind.person": ("Tokoh", "Person"),
    "kind.metric": ("Angka", "Figure"),
    "kind.date": ("Tanggal", "Date"),
    "doctype.pdf": ("PDF", "PDF"),
    "doctype.html": ("Halaman web", "Web page"),
    "doctype.text": ("Teks", "Text"),
    "common.none": ("—", "—"),
    "common.unknown": ("tidak diketahui", "unknown"),
    "common.back": ("Kembali", "Back"),
}


def pick_lang(request: Request) -> str:
    """`?lang=` if given and known, else the cookie, else Indonesian."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in LANGS:
            return value
    return DEFAULT_LANG


def translator(lang: str) -> Callable[..., str]:
    """A function `t(key, default=None, **values)` giving the interface text in `lang`."""
    index = LANGS.index(lang) if lang in LANGS else 0

    def t(key: str, default: str | None = None, **values: object) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            return key if default is None else default
        text = pair[index]
        return text.format(**values) if values else text

    return t
