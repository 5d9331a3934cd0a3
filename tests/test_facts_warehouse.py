"""Facts in the warehouse: replaced with their document, analyst views, the region gazetteer."""

from datetime import date

import pytest

from extract.facts import extract_facts
from extract.model import Document, Page, content_id
from warehouse.facts import load_regions, replace_facts
from warehouse.load import load_document

VISIT_A = (
    "Sebanyak 30 peserta Diklatpim III Angkatan IV Tahun 2019 melaksanakan benchmarking ke Pemkot Salatiga, "
    "Senin (3/6). Kelompok 1 “Layanan Arsip Digital” pada Dinas Perpustakaan dan Kearsipan. "
    "Peserta berasal dari Kota Mataram 10 orang dan Kabupaten Bima 20 orang."
)
VISIT_B = (
    "Sebanyak 25 peserta Diklatpim III melakukan studi lapangan ke Pemkot Salatiga, Rabu (10/7/2019). "
    "Salatiga meraih penghargaan Anugerah Parahita Ekapraya 2018 dari Kementerian PPPA."
)
VISIT_C = "Sebanyak 40 peserta PKA melakukan studi lapangan ke Pemkab Sleman, Kamis (14/3/2019)."


def document(uri, text):
    return Document(uri, content_id(text.encode()) * 4, "text", [Page(1, text)])


def load(conn, uri, text):
    doc = document(uri, text)
    facts = extract_facts(doc)
    load_document(conn, doc, [], after_load=lambda c, d: replace_facts(c, d.document_id, facts))
    return doc


def test_views_answer_visits_per_host_programme_and_year(warehouse):
    for uri, text in (("a", VISIT_A), ("b", VISIT_B), ("c", VISIT_C)):
        load(warehouse, uri, text)
    rows = warehouse.execute(
        "SELECT host_region, program, year, count(*) AS n FROM visits "
        "GROUP BY ALL ORDER BY n DESC, host_region"
    ).fetchall()
    assert rows == [("Kota Salatiga", "Diklatpim III", 2019, 2), ("Kabupaten Sleman", "PKA", 2019, 1)]
    groups = warehouse.execute("SELECT group_no, topic, host_unit FROM visit_groups").fetchall()
    assert groups == [(1, "Layanan Arsip Digital", "Dinas Perpustakaan dan Kearsipan")]
    origins = warehouse.execute("SELECT origin, participants FROM participant_origins ORDER BY 1").fetchall()
    assert origins == [("Kabupaten Bima", 20), ("Kota Mataram", 10)]
    assert warehouse.execute("SELECT award, year FROM awards").fetchall() == [
        ("Anugerah Parahita Ekapraya", 2018)
    ]
    profile = warehouse.execute(
        "SELECT host_region, visits_received, topics, awards FROM site_profiles WHERE region_code = '33.73'"
    ).fetchone()
    assert profile[0] == "Kota Salatiga" and profile[1] == 2
    assert profile[2] == ["Layanan Arsip Digital"] and profile[3][0]["award"] == "Anugerah Parahita Ekapraya"
    start = warehouse.execute("SELECT start_date FROM visits WHERE program = 'PKA'").fetchone()[0]
    assert start == date(2019, 3, 14)


def test_a_replaced_document_keeps_none_of_its_old_facts(warehouse):
    old = load(warehouse, "same-uri", VISIT_A)
    new = load(warehouse, "same-uri", VISIT_C)
    for table in ("fact_visits", "fact_visit_groups", "fact_participant_origins", "fact_sites", "fact_dates"):
        count = warehouse.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", [old.document_id])
        assert count.fetchone()[0] == 0, table
    assert warehouse.execute("SELECT host_region FROM visits").fetchall() == [("Kabupaten Sleman",)]
    assert warehouse.execute("SELECT document_id FROM visits").fetchone()[0] == new.document_id


def test_replace_facts_twice_does_not_duplicate(warehouse):
    doc = load(warehouse, "a", VISIT_A)
    replace_facts(warehouse, doc.document_id, extract_facts(doc))
    assert warehouse.execute("SELECT count(*) FROM fact_visits").fetchone()[0] == 1
    assert warehouse.execute("SELECT count(*) FROM fact_participant_origins").fetchone()[0] == 2


def test_withdrawn_documents_leave_the_views(warehouse):
    doc = load(warehouse, "a", VISIT_A)
    warehouse.execute("UPDATE documents SET status = 'withdrawn' WHERE document_id = ?", [doc.document_id])
    assert warehouse.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert warehouse.execute("SELECT count(*) FROM site_profiles").fetchone()[0] == 0


def test_load_regions_is_idempotent(warehouse):
    # connect() seeds the gazetteer; loading again writes nothing, an emptied table is refilled.
    assert warehouse.execute("SELECT count(*) FROM regions").fetchone()[0] > 7000
    assert load_regions(warehouse) == 0
    warehouse.execute("DELETE FROM region_gazetteer")
    assert load_regions(warehouse) > 7000
    assert load_regions(warehouse) == 0
    rows = warehouse.execute(
        "SELECT code, name, level, province FROM regions WHERE code IN ('36.71', '36.03')"
    )
    assert sorted(rows.fetchall()) == [
        ("36.03", "Kabupaten Tangerang", "kabupaten", "Banten"),
        ("36.71", "Kota Tangerang", "kota", "Banten"),
    ]


@pytest.mark.parametrize(
    "view",
    [
        "visits",
        "visit_groups",
        "participant_origins",
        "awards",
        "practices",
        "people",
        "metrics",
        "regions",
        "site_profiles",
    ],
)
def test_views_have_the_documented_columns(warehouse, view):
    expected = {
        "visits": [
            "visit_id",
            "document_id",
            "program",
            "cohort",
            "year",
            "organiser",
            "host_region",
            "host_region_code",
            "host_province",
            "start_date",
            "end_date",
            "participant_count",
        ],
        "visit_groups": ["visit_id", "group_no", "topic", "host_unit"],
        "participant_origins": ["visit_id", "origin", "participants"],
        "awards": ["document_id", "recipient", "award", "giver", "year"],
        "practices": ["practice_id", "document_id", "name", "host_region", "host_unit", "summary"],
        "people": ["document_id", "name", "role"],
        "metrics": ["document_id", "subject", "indicator", "value", "unit", "period", "evidence"],
        "regions": ["code", "name", "level", "province"],
        "site_profiles": [
            "region_code",
            "host_region",
            "host_province",
            "documents",
            "visits_received",
            "visits",
            "topics",
            "units_visited",
            "awards",
            "practices",
        ],
    }[view]
    columns = [row[0] for row in warehouse.execute(f"DESCRIBE {view}").fetchall()]
    assert columns == expected


def test_a_visit_to_an_unknown_place_still_shows_its_programme_and_date(warehouse):
    from search.details import document_details

    text = (
        "Peserta PKA Provinsi Sulawesi Tenggara Belajar ke Kota Pelita Raya\n\n"
        "Kendari, Senin 13 Mei 2024 - Sebanyak 30 peserta Pelatihan Kepemimpinan Administrator (PKA) "
        "Angkatan IV melaksanakan benchmarking ke Kota Pelita Raya untuk belajar mal pelayanan publik."
    )
    doc = load(warehouse, "pelita.txt", text)
    detail = document_details(warehouse, [doc.document_id])[doc.document_id]
    assert detail["host_region"] is None  # not the visitors' province
    assert detail["program"] == "PKA" and detail["date"] == "2024-05-13"
