"""Filters, concepts and grouping on a real warehouse of invented documents (facts extracted by
the pipeline's own steps, real embeddings; nothing mocked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_fixtures import build_warehouse

from search.concepts import default_concepts, parse_concepts
from search.embedders import get_embedder
from search.filters import SearchFilters, parse_years
from search.lexical import query_terms
from search.query import search
from warehouse.db import connect

DOCS = {
    "banyuwangi-2019.txt": """Peserta PKA Angkatan III BPSDM Jambi Belajar Pelayanan Publik di Banyuwangi

Banyuwangi, Selasa 12 Maret 2019 - Sebanyak 40 peserta Pelatihan Kepemimpinan Administrator (PKA)
Angkatan III BPSDM Provinsi Jambi melaksanakan benchmarking ke Kabupaten Banyuwangi, Provinsi Jawa Timur.
Kelompok 1 mempelajari Mal Pelayanan Publik di Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu
yang menyatukan 200 layanan perizinan dan kependudukan dalam satu gedung.
""",
    "surabaya-2016.txt": """Diklatpim IV Kota Palu Belajar Pelayanan Publik di Kota Surabaya

Surabaya, Rabu 9 November 2016 - Sebanyak 30 peserta Diklatpim IV Kota Palu melakukan benchmarking ke
Kota Surabaya, Provinsi Jawa Timur. Peserta mempelajari pelayanan publik berbasis aplikasi dan
pendampingan usaha mikro, kecil dan menengah oleh Dinas Koperasi untuk mengurangi kemiskinan.
""",
    "malang-2017.txt": """Peserta PKP Kabupaten Kutai Belajar Pelayanan Publik di Kota Malang

Malang, Kamis 7 September 2017 - Sebanyak 35 peserta Pelatihan Kepemimpinan Pengawas (PKP) Kabupaten
Kutai melakukan studi lapangan ke Kota Malang, Provinsi Jawa Timur, untuk belajar pelayanan publik di
kecamatan dan layanan pengaduan warga yang dijawab dalam satu hari.
""",
    "sidoarjo-2021.txt": """Diklatpim III Provinsi Riau Belajar Pelayanan Publik di Kabupaten Sidoarjo

Sidoarjo, Senin 8 Maret 2021 - Sebanyak 32 peserta Diklatpim III Provinsi Riau melakukan benchmarking
ke Kabupaten Sidoarjo, Provinsi Jawa Timur, untuk mempelajari inovasi pelayanan publik di desa.
""",
    "semarang-2018.txt": """Diklatpim IV Kabupaten Gowa Belajar Pelayanan Publik di Kota Semarang

Semarang, Selasa 10 April 2018 - Sebanyak 36 peserta Diklatpim IV Kabupaten Gowa melakukan benchmarking
ke Kota Semarang, Provinsi Jawa Tengah, untuk belajar pelayanan publik dan sistem akuntabilitas kinerja
instansi pemerintah yang meraih predikat A.
""",
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("filters"), DOCS)
    connection = connect(path, read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def e5():
    return get_embedder("e5-small-q4")


def names(results) -> list[str]:
    return [Path(r.source_uri).name for r in results]


def test_year_ranges_parse_and_bad_ones_are_refused():
    assert parse_years("2015..2019") == (2015, 2019)
    assert parse_years("2018") == (2018, 2018)
    assert parse_years("2015..") == (2015, None)
    assert parse_years("..2019") == (None, 2019)
    assert parse_years(None) == (None, None)
    for bad in ("20x5", "2019..2015", ".."):
        with pytest.raises(ValueError):
            parse_years(bad)


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_a_filtered_search_returns_only_matching_documents_and_fills_the_page(conn, e5, mode):
    filters = SearchFilters(province="Jawa Timur", year_from=2015, year_to=2019)
    results = search(conn, "pelayanan publik", embedder=e5, mode=mode, top=3, filters=filters)
    assert sorted(names(results)) == ["banyuwangi-2019.txt", "malang-2017.txt", "surabaya-2016.txt"]
    for r in results:
        assert r.province == "Jawa Timur"
        assert 2015 <= int(r.date[:4]) <= 2019


def test_unfiltered_search_ranks_every_document(conn, e5):
    assert len(search(conn, "pelayanan publik", embedder=e5, top=10)) == len(DOCS)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(region="Kota Semarang"), ["semarang-2018.txt"]),
        (SearchFilters(region="Semarang"), ["semarang-2018.txt"]),
        (SearchFilters(region="Sidoarjo", year_from=2020), ["sidoarjo-2021.txt"]),
        (SearchFilters(program="PKA"), ["banyuwangi-2019.txt"]),
        (SearchFilters(program="diklatpim iv"), ["semarang-2018.txt", "surabaya-2016.txt"]),
        (SearchFilters(province="Provinsi Jawa Tengah"), ["semarang-2018.txt"]),
        (SearchFilters(doc_type="pdf"), []),
        (SearchFilters(language="id", year_to=2016), ["surabaya-2016.txt"]),
    ],
)
def test_each_filter_narrows_by_the_documents_facts(conn, e5, filters, expected):
    results = search(conn, "pelayanan publik peserta", embedder=e5, top=10, filters=filters)
    assert sorted(names(results)) == expected


def test_results_carry_host_region_units_date_and_highlights(conn, e5):
    (best,) = search(conn, "mal pelayanan publik", embedder=e5, top=1)
    assert names([best]) == ["banyuwangi-2019.txt"]
    place = (best.host_region, best.region_code, best.province)
    assert place == ("Kabupaten Banyuwangi", "35.10", "Jawa Timur")
    assert best.date == "2019-03-12" and best.program == "PKA"
    marked = {best.snippet[s:e].lower() for s, e in best.highlights}
    assert {"mal", "pelayanan", "publik"} <= marked


def test_an_abbreviation_finds_its_long_form_and_the_reverse(conn, e5):
    # 'UMKM' is written out in full in surabaya-2016.txt only.
    assert names(search(conn, "UMKM", embedder=None, mode="bm25", top=1)) == ["surabaya-2016.txt"]
    # 'SAKIP' is only written out in semarang-2018.txt.
    assert names(search(conn, "SAKIP", embedder=None, mode="bm25", top=1)) == ["semarang-2018.txt"]
    # An English form of the concept finds the Indonesian text.
    assert names(search(conn, "public service mall", embedder=None, mode="bm25", top=1)) == [
        "banyuwangi-2019.txt"
    ]


def test_concepts_rewrite_queries_from_data():
    rewrite = default_concepts().rewrite("Best practice pengentasan kemiskinan melalui UMKM")
    assert "umkm" in rewrite.concepts and "kemiskinan" in rewrite.concepts
    assert "usaha mikro" in rewrite.related
    table = parse_concepts({"concepts": [{"short": "TPA", "forms": ["tempat pemrosesan akhir"]}]})
    found = table.find("Sampah dibawa ke Tempat Pemrosesan Akhir; TPA penuh")
    assert [c.key for c in found] == ["tpa", "tpa"]
    assert table.rewrite("tempat pemrosesan akhir sampah").rest == "sampah"


def test_a_concept_of_several_words_counts_as_one_query_term(conn):
    # "pelayanan publik" is one concept: its two words share one term's weight, so a document
    # repeating the phrase cannot outweigh one matching another word of the query.
    terms = query_terms(conn, "pelayanan publik di kecamatan")
    assert terms.stems["layan"] == terms.stems["publik"] == pytest.approx(0.5)
    assert terms.stems["camat"] == pytest.approx(1.0)
    assert names(search(conn, "pelayanan publik di kecamatan", embedder=None, mode="bm25", top=1)) == [
        "malang-2017.txt"
    ]
