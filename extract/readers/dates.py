"""Find dates that a document states: Indonesian or English date lines, URL paths, PDF dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?\s+((?:19|20)\d{{2}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}})\b", re.I)
_NUMERIC_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$|\.)")
_PDF_DATE = re.compile(r"^(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})")

# A dateline is short (a date with a weekday, time, place or byline), or opens with the date.
SHORT_LINE_CHARS = 60
DATE_OPENING_CHARS = 30
MAX_DATELINE_CHARS = 160


def make_date(year: int, month: int, day: int, *, today: date | None = None) -> date | None:
    """A real, plausible publication date (1990 to tomorrow), else None."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    today = today or date.today()
    return value if date(1990, 1, 1) <= value <= today + timedelta(days=1) else None


def _first_date(text: str) -> tuple[int, date] | None:
    """Where the first full date in `text` starts, and the date."""
    candidates: list[tuple[int, date]] = []
    for pattern, order in (
        (_DAY_MONTH_YEAR, "dmy"),
        (_MONTH_DAY_YEAR, "mdy"),
        (_ISO, "ymd"),
        (_NUMERIC_DMY, "dmy"),
    ):
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            month_no = int(month) if month.isdigit() else MONTHS.get(month.lower())
            value = make_date(int(parts["y"]), month_no, int(parts["d"])) if month_no else None
            if value:
                candidates.append((match.start(), value))
                break
    return min(candidates) if candidates else None


def parse_date(text: str) -> date | None:
    """The first full date written in `text` ("Selasa, 14 Desember 2021", "14/12/2021", ISO)."""
    found = _first_date(text)
    return found[1] if found else None


def is_dateline(line: str) -> date | None:
    """The date of a dateline: a short line with a date, or a line that opens with one
    ("Kamis, 22 Juni 2023 | 14:45 WITA - Editor: ..."), else None."""
    found = _first_date(line) if len(line) <= MAX_DATELINE_CHARS else None
    if found and (len(line) <= SHORT_LINE_CHARS or found[0] <= DATE_OPENING_CHARS):
        return found[1]
    return None


def find_stated_date(text: str, *, max_lines: int = 8, skip: str | None = None) -> date | None:
    """The date on a dateline among the first non-empty lines (e.g. under a headline)."""
    seen = 0
    for line in text.splitlines():
        line = line.strip()
        if not line or (skip and line == skip.strip()):
            continue
        seen += 1
        if seen > max_lines:
            break
        value = is_dateline(line)
        if value:
            return value
    return None


def date_from_url(url: str | None) -> date | None:
    """A full year/month/day date in a URL path (e.g. /2021/11/17/slug), else None."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    return make_date(*(int(g) for g in match.groups())) if match else None


def parse_pdf_date(value: str | None) -> date | None:
    """The day of a PDF date string such as "D:20150720161648-05'00'", else None."""
    match = _PDF_DATE.match(value.strip()) if value else None
    return make_date(*(int(g) for g in match.groups())) if match else None
