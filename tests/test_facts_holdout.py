"""The held-out check: invented documents in other outlets' styles (tests/facts_holdout), annotated
by hand before the extractors were read, must meet the issue's targets as the dev set does."""

from pathlib import Path

import pytest
from extraction_targets import ACCURACY_TARGETS, F1_TARGETS

from extract.evaluate import evaluate_extraction, format_report

HOLDOUT = Path(__file__).resolve().parent / "facts_holdout"


@pytest.fixture(scope="module")
def report():
    return evaluate_extraction(HOLDOUT / "annotations.json", HOLDOUT / "docs")


def test_every_held_out_document_is_read(report):
    assert report.documents == len(list((HOLDOUT / "docs").iterdir())) >= 12
    assert report.read_errors == []


@pytest.mark.parametrize(("field", "target"), ACCURACY_TARGETS.items())
def test_accuracy_targets_on_held_out_documents(report, field, target):
    assert report.fields[field].accuracy >= target, format_report(report, show_mismatches=True)


@pytest.mark.parametrize(("field", "target"), F1_TARGETS.items())
def test_f1_targets_on_held_out_documents(report, field, target):
    assert report.fields[field].f1 >= target, format_report(report, show_mismatches=True)
