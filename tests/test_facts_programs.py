"""Programmes and cohorts: level versus cohort, Roman numerals, ordinals."""

import pytest

from extract.facts.programs import find_cohorts, find_programs


def programs(text):
    return [(p.program, p.cohort, p.year) for p in find_programs(text)]


def test_tingkat_is_the_level_and_angkatan_the_cohort():
    assert programs("peserta Diklatpim Tingkat III Angkatan XIII Tahun 2018") == [("Diklatpim III", 13, 2018)]


def test_angkatan_iii_is_a_cohort_not_a_level():
    assert programs("Diklatpim Angkatan III berkunjung") == []
    assert [c.cohort for c in find_cohorts("Diklatpim Angkatan III berkunjung")] == [3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pendidikan dan Pelatihan Kepemimpinan (Diklatpim) III Kementerian", "Diklatpim III"),
        ("Diklat PIM Tk. IV", "Diklatpim IV"),
        ("diklat kepemimpinan TK. II", "Diklatpim II"),
        ("Pendidikan dan Pelatihan (Diklat) Pimpinan tingkat IV", "Diklatpim IV"),
        ("Pelatihan Kepemimpinan Nasional (PKN) Tingkat II", "PKN Tingkat II"),
        ("Pelatihan Kepemimpinan Administrator", "PKA"),
        ("Pelatihan Kepemimpinan Pengawas", "PKP"),
    ],
)
def test_programme_names_normalise(text, expected):
    assert programs(text)[0][0] == expected


def test_arabic_cohort_and_ordinal_cohort():
    assert programs("PKA angkatan 51 tahun 2023") == [("PKA", 51, 2023)]
    assert programs("Diklatpim IV ke-10 berkunjung") == [("Diklatpim IV", 10, None)]
    assert [c.cohort for c in find_cohorts("peserta angkatan ke-7")] == [7]


def test_counting_words_before_angkatan_are_not_cohorts():
    assert find_cohorts("empat angkatan sekaligus datang") == []


def test_abbreviated_angkatan_and_old_programme_names():
    assert programs("Diklat PIM Tk. III Angk. II Tahun 2016") == [("Diklatpim III", 2, 2016)]
    assert programs("Diklat Kepemimpinan Tingkat II Angkatan III") == [("Diklatpim II", 3, None)]
    assert programs("Pelatihan Kepemimpinan Pengawas angkatan ke-51") == [("PKP", 51, None)]
