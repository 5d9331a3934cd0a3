"""Indonesian number formats: decimal comma, thousands dot, scale words, Rupiah, Roman numerals."""

from __future__ import annotations

import re

SCALE_WORDS = {
    "ribu": 1e3, "rb": 1e3,
    "juta": 1e6, "jt": 1e6,
    "miliar": 1e9, "milyar": 1e9, "m": 1e9,
    "triliun": 1e12, "trilyun": 1e12, "t": 1e12,
}  # fmt: skip

NUMBER_WORDS = {
    "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12, "tiga belas": 13,
    "empat belas": 14, "lima belas": 15, "dua puluh": 20, "tiga puluh": 30, "empat puluh": 40,
    "lima puluh": 50, "seratus": 100,
    "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
    "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
}  # fmt: skip

ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_VALID = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)

# "1.250", "1.250.000", "98,5", "1,2", "2018", "84.88" (English decimal point, two decimals).
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d)"
_NUMBER_RE = re.compile(rf"^(?:{NUMBER})$")


def parse_number(text: str) -> float | None:
    """A number written the Indonesian way: "1.250" → 1250, "98,5" → 98.5, "1.250,75" → 1250.75."""
    value = text.strip().replace(" ", "")
    if not value or not _NUMBER_RE.match(value):
        return None
    if "," in value or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", value):
        value = value.replace(".", "").replace(",", ".")
    return float(value)


def parse_amount(number: str, scale: str | None = None) -> float | None:
    """A number with an optional scale word: ("1,2", "miliar") → 1.2e9."""
    value = parse_number(number)
    if value is None:
        return None
    if scale:
        factor = SCALE_WORDS.get(scale.lower().rstrip("."))
        if factor is None:
            return None
        value *= factor
    return value


def roman_to_int(text: str) -> int | None:
    """A valid Roman numeral as an integer ("XIII" → 13), else None."""
    token = text.strip()
    if not token or not _ROMAN_VALID.match(token):
        return None
    total = 0
    values = [ROMAN_VALUES[c] for c in token.lower()]
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total or None


def word_to_int(text: str) -> int | None:
    """An Indonesian number word ("empat" → 4), else None."""
    return NUMBER_WORDS.get(" ".join(text.lower().split()))


def to_int(text: str) -> int | None:
    """A count written as digits, a Roman numeral or a word."""
    token = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d+", token):
        return int(token.replace(".", ""))
    return roman_to_int(token) or word_to_int(token)
