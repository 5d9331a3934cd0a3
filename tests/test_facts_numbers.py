"""Indonesian number formats: decimal comma, thousands dot, scale words, Roman numerals."""

import pytest

from extract.facts.numbers import parse_amount, parse_number, roman_to_int, to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.250", 1250),
        ("98,5", 98.5),
        ("1.250.000", 1_250_000),
        ("1.250,75", 1250.75),
        ("2018", 2018),
        ("0,5", 0.5),
        ("84.88", 84.88),
    ],
)
def test_parse_number_reads_decimal_comma_and_thousands_dot(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12a"])
def test_parse_number_refuses_non_numbers(text):
    assert parse_number(text) is None


def test_parse_amount_applies_scale_words():
    assert parse_amount("1,2", "miliar") == pytest.approx(1.2e9)
    assert parse_amount("5,1", "triliun") == pytest.approx(5.1e12)
    assert parse_amount("1,6", "juta") == pytest.approx(1.6e6)
    assert parse_amount("3", "lusin") is None


@pytest.mark.parametrize(("text", "value"), [("XIII", 13), ("IV", 4), ("xlv", 45), ("I", 1), ("MCMXC", 1990)])
def test_roman_numerals(text, value):
    assert roman_to_int(text) == value


@pytest.mark.parametrize("text", ["IIII", "VX", "ini", "", "ABC"])
def test_invalid_roman_numerals_are_refused(text):
    assert roman_to_int(text) is None


def test_to_int_reads_digits_roman_and_words():
    assert to_int("51") == 51
    assert to_int("XIII") == 13
    assert to_int("empat") == 4
    assert to_int("1.250") == 1250
    assert to_int("banyak") is None
