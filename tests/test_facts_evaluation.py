"""The extraction evaluation: its matching rules, and the targets on the shared dev set."""

from pathlib import Path

import pytest
from extraction_targets import ACCURACY_TARGETS, F1_TARGETS

from extract.evaluate import (
    evaluate_extraction,
    format_report,
    group_match,
    person_match,
    province_match,
    region_match,
    text_match,
    unit_match,
)

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def test_regions_match_through_the_gazetteer():
    assert region_match("Kota Yogyakarta", "Pemkot Jogja")
    assert not region_match("Kota Tangerang", "Kabupaten Tangerang")
    assert province_match("DI Yogyakarta", "Daerah Istimewa Yogyakarta")


def test_text_people_units_and_groups_match_by_meaning():
    assert text_match("Innovative Government Award", "Inovatif Government Award")
    assert not text_match("Badan Diklat Provinsi Banten", "BPSDM Provinsi Banten")
    assert person_match({"name": "Dr. Ida Bagus Sedhawa, SE, MSi"}, {"name": "Ida Bagus Sedhawa"})
    assert not person_match({"name": "Tri Widayanto"}, {"name": "Tri Rismaharini"})
    assert unit_match("Dinas Kependudukan dan Pencatatan Sipil (Dispendukcapil)", "Disdukcapil Kota Surabaya")
    assert not unit_match("Dinas Sosial", "Dinas Kesehatan")
    assert group_match({"topic": None, "host_unit": "Diskominfo"}, {"topic": None, "host_unit": "Diskominfo"})


@pytest.fixture(scope="module")
def report():
    return evaluate_extraction(DEV / "annotations.json", DEV / "docs")


def test_all_dev_documents_are_read(report):
    assert report.documents == 21 and report.read_errors == []


@pytest.mark.parametrize(("field", "target"), ACCURACY_TARGETS.items())
def test_accuracy_targets_on_the_dev_set(report, field, target):
    assert report.fields[field].accuracy >= target, format_report(report, show_mismatches=True)


@pytest.mark.parametrize(("field", "target"), F1_TARGETS.items())
def test_f1_targets_on_the_dev_set(report, field, target):
    assert report.fields[field].f1 >= target, format_report(report, show_mismatches=True)


def test_report_prints_every_field(report):
    text = format_report(report)
    for field in (
        "host_region",
        "host_province",
        "program",
        "cohort",
        "year",
        "visit_date",
        "participant_count",
        "organiser",
        "groups",
        "awards",
        "people",
        "host_units",
    ):
        assert field in text
