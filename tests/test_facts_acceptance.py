"""The article Lokus started from (shared dev corpus, 000.pdf), read by the real reader."""

from datetime import date
from pathlib import Path

import pytest

from extract.facts import extract_facts
from extract.read import read_path

ARTICLE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev" / "docs" / "000.pdf"


@pytest.fixture(scope="module")
def facts():
    return extract_facts(read_path(ARTICLE))


def test_the_visit(facts):
    visit = facts.visit
    assert visit.program == "Diklatpim III"
    assert visit.cohort == 13
    assert visit.year == 2018
    assert visit.organiser == "BPSDM Provinsi Maluku"
    assert (visit.host_region, visit.host_province) == ("Kota Tangerang", "Banten")
    assert visit.start_date == date(2018, 4, 9) and visit.date_source == "inferred"
    assert visit.participant_count == 40


def test_five_origins_summing_to_forty(facts):
    assert len(facts.origins) == 5
    assert sum(o.participants for o in facts.origins) == 40
    assert facts.visit.origins_consistent is True


def test_four_groups_with_topics_and_host_units(facts):
    assert [g.group_no for g in facts.groups] == [1, 2, 3, 4]
    assert all(g.topic and g.host_unit for g in facts.groups)
    assert "Bappeda" in facts.groups[0].host_unit
    assert "Karawaci" in facts.groups[1].host_unit


def test_three_awards(facts):
    awards = {a.award: a for a in facts.awards}
    assert len(awards) == 3
    assert awards["Innovative Government Award"].year == 2012
    assert awards["Innovative Government Award"].giver == "Kementerian Dalam Negeri"
    assert any(name.startswith("Kastria Bakti Husada") for name in awards)
    assert any(name.startswith("Indeks Kota Cerdas Indonesia") for name in awards)


def test_two_people_with_roles(facts):
    assert {(p.name, p.role) for p in facts.people} == {
        ("Syuryadi Sabirin", "Kepala BPSDM Maluku"),
        ("Asep Supratman", "Staf Ahli Bidang Hukum dan Politik"),
    }
