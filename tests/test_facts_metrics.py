"""Metrics from text and from PDF tables, in Indonesian number formats."""

from pathlib import Path

import pytest

from extract.facts.metrics import sentence_metrics, table_metrics
from extract.facts.model import Site
from extract.model import Table

SITE = Site("Kota Mataram", "52.71", "Nusa Tenggara Barat", 1, "", 0.9)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def values(text):
    return [(value, unit, text_value) for _, value, unit, _, _, text_value in sentence_metrics(text)]


def test_rupiah_with_scale_word():
    assert values("Anggaran inovasi mencapai Rp 1,2 miliar pada tahun 2022.") == [
        (pytest.approx(1.2e9), "IDR", None)
    ]


def test_percent_written_as_persen_and_symbol():
    assert values("Tingkat kepuasan 98,5 persen dan capaian 101,2%.") == [
        (pytest.approx(98.5), "%", None),
        (pytest.approx(101.2), "%", None),
    ]


def test_counts_with_thousands_dot():
    assert values("Survei melibatkan 1.250 orang responden di 12 kecamatan.") == [
        (1250, "orang", None),
        (12, "kecamatan", None),
    ]


def test_index_scores_grades_and_audit_opinions():
    found = sentence_metrics(
        "Nilai IKM mencapai 87,45 dan SAKIP meraih predikat BB, sementara laporan keuangan "
        "memperoleh opini WTP."
    )
    by_unit = {unit: (indicator, value, text_value) for _, value, unit, indicator, _, text_value in found}
    assert by_unit["indeks"] == ("IKM", pytest.approx(87.45), None)
    assert by_unit["predikat"][2] == "BB"
    assert by_unit["opini BPK"][2] == "WTP"


def test_money_without_rp_needs_a_money_context():
    assert values("Pendapatan asli daerah naik dari 1,8 triliun menjadi 5,1 triliun.")[0][:2] == (
        pytest.approx(1.8e12),
        "IDR",
    )
    assert values("Penduduk kota mencapai 1,6 juta jiwa.") == [(pytest.approx(1.6e6), "jiwa", None)]


def test_period_is_the_year_written_after_the_number():
    found = sentence_metrics("Investasi tumbuh menjadi Rp 27,8 triliun pada tahun 2018.")
    assert found[0][0][1] > 0
    from extract.facts.metrics import _period

    text = "Investasi tumbuh menjadi Rp 27,8 triliun pada tahun 2018."
    assert _period(text, found[0][0][1]) == "2018"


def test_performance_indicator_table():
    table = Table(
        page=3,
        index=0,
        rows=[
            ["No", "Indikator Kinerja", "Target", "Realisasi", "Capaian (%)"],
            ["1", "Indeks Kepuasan Masyarakat", "85,00", "87,45", "102,88"],
            ["2", "Persentase perizinan daring", "90%", "93,5%", "103,89"],
        ],
    )
    metrics = table_metrics(table, SITE, None)
    found = {m.indicator: (m.value, m.unit) for m in metrics}
    assert found["Indeks Kepuasan Masyarakat (Realisasi)"] == (pytest.approx(87.45), None)
    assert found["Indeks Kepuasan Masyarakat (Capaian (%))"] == (pytest.approx(102.88), "%")
    assert found["Persentase perizinan daring (Target)"] == (pytest.approx(90), "%")
    assert all(m.page == 3 and m.subject == "Kota Mataram" and m.evidence for m in metrics)
    assert len(metrics) == 6


def test_kepmendagri_decree_table_from_a_real_pdf():
    from extract.read import read_path

    doc = read_path(SHARED / "corpus" / "pdf" / "kepmendagri-wilayah-excerpt.pdf")
    metrics = [m for t in doc.tables for m in table_metrics(t, None, None)]
    area = [m for m in metrics if m.subject == "Kabupaten Aceh Selatan" and m.unit == "km²"]
    assert area and area[0].value == pytest.approx(4174.211)
    counts = {
        m.indicator: m.value for m in metrics if m.subject == "Kabupaten Aceh Selatan" and m.unit != "km²"
    }
    assert 18 in counts.values() and 260 in counts.values()


def test_a_year_is_not_an_index_value():
    found = sentence_metrics("Indeks Kepuasan Masyarakat Kota Mataram tahun 2022 mencapai 88,12.")
    assert [(indicator, value) for _, value, _, indicator, _, _ in found] == [
        ("Indeks Kepuasan Masyarakat Kota Mataram", pytest.approx(88.12))
    ]


def test_dates_and_weekdays_are_not_indicators():
    found = sentence_metrics("Selasa (12/3/2019) - 1.250 orang mengikuti layanan keliling.")
    assert [(f[1], f[3]) for f in found] == [(1250, "jumlah")]
    assert [f[3] for f in sentence_metrics("Pada 17/11/2021 capaian 98,5 persen.")] == ["capaian"]


def test_tables_of_documents_in_other_languages_need_an_indicator_header():
    listing = Table(page=1, index=0, rows=[["Company", "City", "Employees"], ["Acme", "Fresno", "65"]])
    assert table_metrics(listing, None, None, indonesian=False) == []
    assert table_metrics(listing, None, None, indonesian=True)
    kpi = Table(page=1, index=0, rows=[["Indicator", "Target", "Realization"], ["Service time", "5", "4"]])
    assert len(table_metrics(kpi, None, None, indonesian=False)) == 2


def test_an_english_report_of_plain_tables_gives_no_metrics():
    from extract.facts import extract_facts
    from extract.read import read_path

    doc = read_path(SHARED / "corpus" / "pdf" / "WARN-Report-for-7-1-2015-to-03-25-2016.pdf")
    assert doc.language == "en" and doc.tables
    assert extract_facts(doc).metrics == []
