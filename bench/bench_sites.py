"""Search and site-ranking latency on the dev corpus and on a synthetic corpus of 100,000 chunks.

The dev corpus (shared/corpus/dev/docs) is read, its facts extracted and indexed with e5 without
Prefect. The synthetic corpus is generated straight into DuckDB: plausible Indonesian chunk text
drawn from a vocabulary (skewed, so some words are common), random unit vectors of the index's
dimension, and a visit/site fact per document; its keyword index is built by the real builder.
Latency is per call with the query embedded by the real model; model load is timed separately.

    .venv/bin/python bench/bench_sites.py [--chunks 100000] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.steps import Target, prepare  # noqa: E402
from search.embedders import get_embedder  # noqa: E402
from search.evaluate import load_queries  # noqa: E402
from search.filters import SearchFilters  # noqa: E402
from search.index import build_index, index_info  # noqa: E402
from search.lexical import build_lexical  # noqa: E402
from search.query import search  # noqa: E402
from search.sites import rank_sites  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.facts import replace_facts  # noqa: E402
from warehouse.load import load_document  # noqa: E402

DEV = REPO.parent / "shared" / "corpus" / "dev"
_WORDS = """
pelayanan publik inovasi kabupaten kota provinsi peserta diklatpim pelatihan kepemimpinan
benchmarking studi lapangan dinas badan kecamatan desa kelurahan bappeda perencanaan
pembangunan anggaran keuangan daerah pendapatan pajak retribusi perizinan investasi penanaman
modal terpadu satu pintu mal aplikasi digital daring sistem informasi data kependudukan akta
kelahiran kartu keluarga kesehatan puskesmas posyandu balita gizi stunting pendidikan sekolah
guru siswa beasiswa sampah kebersihan lingkungan hidup bank taman air bersih sanitasi jalan
jembatan transportasi pariwisata budaya festival seni pertanian pangan nelayan perikanan
koperasi usaha mikro kecil menengah umkm pasar produk pemasaran pelatihan kemiskinan bantuan
sosial keluarga warga masyarakat pengaduan kepuasan indeks survei kinerja akuntabilitas sakip
laporan evaluasi predikat penghargaan opini wtp bpk audit pengawasan inspektorat reformasi
birokrasi aparatur asn pegawai kepegawaian jabatan mutasi disiplin absensi tunjangan e-kinerja
teknologi smart city kampung internet jaringan kantor gedung ruang rapat bupati wali sekretaris
kepala bidang seksi staf ahli rombongan kunjungan program kegiatan proyek perubahan gagasan
rencana aksi target capaian realisasi tahun bulan minggu persen ribu juta miliar triliun rupiah
nasional regional pusat kementerian lembaga kerja sama mitra swasta perbankan perusahaan
tanggung jawab sosial investor ekonomi pertumbuhan lapangan pekerjaan
"""
VOCABULARY = _WORDS.split()
QUERIES = [
    "mal pelayanan publik", "pengentasan kemiskinan melalui UMKM", "e-kinerja ASN",
    "one-stop public service mall", "SAKIP akuntabilitas kinerja", "pengelolaan sampah bank sampah",
    "aplikasi kependudukan akta kelahiran", "smart city pelayanan digital", "posyandu balita gizi",
    "perencanaan pembangunan Bappeda",
]


def timed(fn, repeats: int, queries: list[str]) -> tuple[float, float]:
    """Median and 95th percentile milliseconds per call, after one warm-up call."""
    fn(queries[0])
    times = []
    for _ in range(repeats):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def build_dev(path: Path, embedder) -> object:
    conn = connect(path)
    for doc_path in sorted((DEV / "docs").iterdir()):
        p = prepare(Target(str(doc_path)), doc_path.read_bytes(), None, chunk_chars=800, chunk_overlap=120)
        store = lambda c, d, p=p: replace_facts(c, d.document_id, p.facts)  # noqa: E731
        load_document(conn, p.document, p.chunks, after_load=store)
    build_index(conn, embedder)
    return conn


def build_synthetic(path: Path, n_chunks: int, dim: int) -> tuple[object, dict[str, float]]:
    """documents/pages/chunks/embeddings/facts for n_chunks chunks (10 per document), generated in SQL."""
    conn = connect(path)
    n_docs = max(1, n_chunks // 10)
    figures: dict[str, float] = {}
    start = time.perf_counter()
    words = "[" + ", ".join(f"'{w}'" for w in VOCABULARY) + "]"
    conn.execute(
        f"""
        CREATE TEMP TABLE gen_chunks AS
        SELECT i, 'doc' || lpad((i // 10)::VARCHAR, 8, '0') AS document_id, i % 10 AS ordinal,
               array_to_string(list_transform(range(110),
                   x -> {words}[1 + floor({len(VOCABULARY)} * pow(random(), 1.6))::INTEGER]), ' ')
               || ' ' || (2000 + (i % 25))::VARCHAR AS text
        FROM range(?) t(i)
        """,
        [n_chunks],
    )
    conn.execute(
        "INSERT INTO documents (document_id, source_uri, title, doc_type, published_date, language, sha256) "
        "SELECT 'doc' || lpad(i::VARCHAR, 8, '0'), 'synthetic://' || i, 'Dokumen sintetis ' || i, "
        "CASE i % 3 WHEN 0 THEN 'pdf' WHEN 1 THEN 'html' ELSE 'text' END, "
        "make_date(2010 + (i % 15)::INTEGER, 1 + (i % 12)::INTEGER, 1), 'id', 'h' || i FROM range(?) t(i)",
        [n_docs],
    )
    conn.execute(
        "INSERT INTO pages SELECT document_id, 1, string_agg(text, chr(10) ORDER BY ordinal) "
        "FROM gen_chunks GROUP BY document_id"
    )
    conn.execute(
        "INSERT INTO chunks SELECT document_id || '-' || ordinal, document_id, 1, ordinal, text, 0, "
        "length(text), 'c' || i FROM gen_chunks"
    )
    conn.execute(
        "INSERT INTO embeddings SELECT 'e5-small-q4', 'c' || i, "
        "list_transform(v, x -> (x / sqrt(list_inner_product(v, v)))::FLOAT) "
        "FROM (SELECT i, list_transform(range(?), x -> (random() - 0.5)::FLOAT) AS v FROM range(?) t(i))",
        [dim, n_chunks],
    )
    # A host region (a kabupaten/kota of the gazetteer) and a visit for every document.
    conn.execute(
        """
        CREATE TEMP TABLE gen_regions AS
        SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, display_name, province
        FROM region_gazetteer WHERE level IN ('kabupaten', 'kota')
        """
    )
    conn.execute(
        """
        INSERT INTO fact_sites
        SELECT d.document_id, r.display_name, r.code, r.province, year(d.published_date), 1, 'sintetis', 0.9
        FROM documents d JOIN gen_regions r
          ON r.n = hash(d.document_id) % (SELECT count(*) FROM gen_regions)
        """
    )
    conn.execute(
        """
        INSERT INTO fact_visits (visit_id, document_id, program, year, host_region, host_region_code,
                                 host_province, page_no, evidence, confidence)
        SELECT document_id || '-v1', document_id,
               ['Diklatpim III', 'Diklatpim IV', 'PKA', 'PKP'][(1 + hash(document_id) % 4)::BIGINT],
               year, region, region_code, province, 1, 'sintetis', 0.9
        FROM fact_sites
        """
    )
    conn.execute(
        "INSERT INTO index_state VALUES ('model', 'e5-small-q4'), ('dim', ?), ('generation', '1')", [str(dim)]
    )
    figures["generate_s"] = time.perf_counter() - start
    start = time.perf_counter()
    build_lexical(conn)
    figures["keyword_index_build_s"] = time.perf_counter() - start
    return conn, figures


def measure(conn, embedder, queries: list[str], repeats: int, label: str, figures: dict) -> None:
    from search.dense import dense_matrix

    start = time.perf_counter()
    dense_matrix(conn, index_info(conn))
    search(conn, queries[0], embedder=None, mode="bm25")
    figures[f"{label}.index_load_ms"] = (time.perf_counter() - start) * 1000
    filters = SearchFilters(province="Jawa Timur", year_from=2015, year_to=2019)
    runs = {
        "search hybrid": lambda q: search(conn, q, embedder=embedder, top=10),
        "search bm25": lambda q: search(conn, q, embedder=None, mode="bm25", top=10),
        "search hybrid filtered": lambda q: search(conn, q, embedder=embedder, top=10, filters=filters),
        "sites": lambda q: rank_sites(conn, q, embedder=embedder, top=5),
    }
    for name, fn in runs.items():
        med, p95 = timed(fn, repeats, queries)
        figures[f"{label}.{name}.median_ms"] = med
        figures[f"{label}.{name}.p95_ms"] = p95
        print(f"  {label:<10} {name:<24} median {med:7.1f} ms   p95 {p95:7.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    start = time.perf_counter()
    embedder = get_embedder("e5-small-q4")
    figures["model_load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    embedder.embed_query("pemanasan")
    figures["first_query_embedding_ms"] = (time.perf_counter() - start) * 1000
    print(f"model load {figures['model_load_s']:.1f} s (excluded from latencies; query embedding included)")
    with tempfile.TemporaryDirectory() as tmp:
        conn = build_dev(Path(tmp) / "dev.duckdb", embedder)
        dev_queries = [q.query for q in load_queries(DEV / "queries.json")]
        measure(conn, embedder, dev_queries, args.repeats, "dev", figures)
        conn.close()
        conn, built = build_synthetic(Path(tmp) / "synthetic.duckdb", args.chunks, embedder.dim)
        figures.update({f"synthetic.{k}": v for k, v in built.items()})
        print(f"synthetic corpus: {args.chunks} chunks generated in {built['generate_s']:.1f} s, "
              f"keyword index built in {built['keyword_index_build_s']:.1f} s")
        measure(conn, embedder, QUERIES, args.repeats, "synthetic", figures)
        print(f"  synthetic index load (once per process): {figures['synthetic.index_load_ms']:.0f} ms")
        conn.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
