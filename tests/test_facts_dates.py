"""Indonesian dates: forms, ranges, and inferring a missing year only when the text supports it."""

from datetime import date

import pytest

from extract.facts.dates import find_dates, resolve, stated_years


def one(text):
    mentions = find_dates(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_weekday_with_day_and_month_only():
    m = one("Rombongan diterima di aula, Senin (9/4).")
    assert (m.day, m.month, m.year, m.weekday) == (9, 4, None, 0)


def test_two_digit_year_in_parentheses():
    m = one("Kunjungan diterima Sekda, Senin (28/3/22).")
    assert (m.day, m.month, m.year) == (28, 3, 2022)


def test_long_date_with_weekday():
    m = one("Kamis, 26 April 2018 | 10:15 WIB")
    assert (m.day, m.month, m.year, m.weekday) == (26, 4, 2018, 3)


def test_numeric_range_with_sampai_dengan():
    m = one("Kegiatan berlangsung (29/08/16) sampai dengan (02/09/16) di Kota Batu.")
    assert (m.day, m.month, m.year) == (29, 8, 2016)
    assert (m.end_day, m.end_month, m.end_year) == (2, 9, 2016)
    resolved = resolve(m, [], [], [])
    assert resolved.start == date(2016, 8, 29) and resolved.end == date(2016, 9, 2)
    assert resolved.source == "stated"


def test_day_range_with_month_name_and_no_year():
    m = one("kunjungan lapangan dilaksanakan dari tanggal 5 sampai 9 Agustus mendatang")
    assert (m.day, m.end_day, m.month, m.year) == (5, 9, 8, None)


def test_cross_month_range():
    m = one("30 Juni - 2 Juli 2019")
    resolved = resolve(m, [], [], [])
    assert resolved.start == date(2019, 6, 30) and resolved.end == date(2019, 7, 2)


def test_missing_year_is_inferred_when_the_weekday_agrees():
    m = one("Senin (9/4)")
    resolved = resolve(m, [], anchor_years=[2018], weak_years=[])
    assert resolved.start == date(2018, 4, 9)
    assert resolved.source == "inferred"


def test_missing_year_is_not_invented_when_the_weekday_disagrees():
    m = one("Rabu (9/4)")  # 9 April 2018 was a Monday
    assert resolve(m, [], anchor_years=[2018], weak_years=[]) is None


def test_missing_year_is_not_invented_without_any_year_in_the_document():
    assert resolve(one("Selasa, (4/6)"), [], [], []) is None


def test_weekday_picks_the_right_year_among_several():
    m = one("Senin (15/11)")
    resolved = resolve(m, [], anchor_years=[], weak_years=[2016, 2021])
    assert resolved.start == date(2021, 11, 15)


def test_without_weekday_only_a_single_anchor_year_is_used():
    m = one("tanggal 13 sampai 17 Juli")
    assert resolve(m, [], anchor_years=[2019], weak_years=[2010, 2018]).start == date(2019, 7, 13)
    assert resolve(m, [], anchor_years=[2018, 2019], weak_years=[]) is None


def test_stated_year_with_wrong_weekday_keeps_the_date_with_low_confidence():
    m = one("Selasa, 26 April 2018")
    resolved = resolve(m, [], [], [])
    assert resolved.start == date(2018, 4, 26) and resolved.confidence < 0.9


@pytest.mark.parametrize("text", ["di aula BKD, 4/10.", "nilai 3/4 dari target", "mulai 13-16 wajib diikuti"])
def test_ambiguous_fractions_are_not_dates(text):
    assert find_dates(text) == []


def test_stated_years_take_tahun_and_month_year_not_bare_numbers():
    assert stated_years("Survei 2024 … pada tahun 2019 dan bulan Juni 2021") == [2019, 2021]


def test_news_dateline_day_and_month():
    m = one("Mataram, 14/2 (Antara) - Puluhan peserta pelatihan tiba di kantor bupati.")
    assert (m.day, m.month, m.year) == (14, 2, None)
    assert find_dates("Skor akhir 14/2 (dua set) - menang") == []  # not at a sentence start after a place


def test_bare_weekday_is_found_outside_dates_and_not_for_every_week():
    from extract.facts.dates import bare_weekdays, weekday_on_or_before

    text = "Rombongan diterima Wakil Bupati Lombok Timur, Jumat."
    assert [w for w, _ in bare_weekdays(text, find_dates(text))] == [4]
    assert bare_weekdays("Pasar murah digelar setiap hari Jumat.", []) == []
    assert bare_weekdays("Kunjungan Senin (3/6) lalu.", find_dates("Kunjungan Senin (3/6) lalu.")) == []
    assert weekday_on_or_before(date(2024, 5, 17), 4) == date(2024, 5, 17)  # a Friday itself
    assert weekday_on_or_before(date(2024, 5, 17), 0) == date(2024, 5, 13)
