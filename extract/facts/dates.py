"""Indonesian dates in running text, and resolving a date without a year from what the text supports.

Forms: "Kamis, 26 April 2018", "Senin (9/4)", "(28/3/22)", "Rabu, (13/04/2016)",
"13 sampai 17 Juli", "(29/08/16) sampai dengan (02/09/16)". A date without a year gets one only
from a year the document supports, and only when the weekday (if written) agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
}  # fmt: skip
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "des": 12,
}  # fmt: skip

_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True)).replace("'", "['’]?")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_RANGE = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga|sd)\s*"
_YEAR = r"(?:19|20)\d{2}"
_WD = rf"(?:(?P<wd>{_WEEKDAY})\s*,?\s*(?:\(\s*)?)?"

# "Kamis, 26 April 2018", "13 sampai 17 Juli 2019", "tanggal 13 Juli".
LONG_DATE = re.compile(
    rf"\b{_WD}(?P<d>\d{{1,2}})(?:(?:\s+(?P<m1>{_MONTH})\.?)?{_RANGE}(?P<d2>\d{{1,2}}))?"
    rf"\s+(?P<m>{_MONTH})\.?(?:\s+(?P<y>{_YEAR}))?\b(?![/\d])",
    re.I,
)
# "(9/4)", "Senin (9/4)", "(28/3/22)", "(29/08/16) sampai dengan (02/09/16)", "13/04/2016".
NUMERIC_DATE = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY})\s*,?\s*)?(?P<open>\()\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})"
    rf"(?:/(?P<y>\d{{4}}|\d{{2}}))?\s*\)"
    rf"(?:{_RANGE}\(\s*(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})(?:/(?P<y2>\d{{4}}|\d{{2}}))?\s*\))?"
    rf"|(?:\b(?P<wdb>{_WEEKDAY})\s*,?\s*)?(?<![\d/])(?P<db>\d{{1,2}})[/.-](?P<mb>\d{{1,2}})[/.-](?P<yb>{_YEAR})\b",
    re.I,
)
# A news dateline: "Jakarta, 12/3 (Antara) -", "Padang, 17/11/2021 (ANTARA) –" at a sentence start.
NEWS_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'’-]{1,30},\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?"
    r"(?=\s*(?:\([^)]{2,30}\)\s*)?[-–—])"
)
# A weekday standing alone for a date ("… ke Pemkot Padang, Rabu."): the day of that week.
BARE_WEEKDAY = re.compile(
    rf"(?<!setiap )(?<!tiap )(?:,\s*|\b(?:pada|hari)\s+)(?P<wd>{_WEEKDAY})"
    r"(?=\s*(?:[.,;)]|$)|\s+(?:lalu|kemarin|ini|pagi|siang|sore|malam)\b)",
    re.I,
)
MONTH_YEAR = re.compile(rf"\b(?:bulan\s+)?(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.I)
TAHUN_YEAR = re.compile(rf"\b(?:tahun|th\.?|TA\.?)\s+(?P<y>{_YEAR})\b", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date as written: parts may be missing (no year); `span` is into the searched text."""

    day: int
    month: int
    year: int | None
    weekday: int | None
    end_day: int | None
    end_month: int | None
    end_year: int | None
    span: tuple[int, int]
    surface: str


@dataclass(frozen=True)
class ResolvedDate:
    """A calendar date (and end of a range) with how it was obtained: stated or inferred."""

    start: date
    end: date | None
    source: str  # stated | inferred
    confidence: float
    surface: str


def full_year(text: str | None) -> int | None:
    """A 4-digit year, or a 2-digit one read as 20YY (19YY above 69)."""
    if not text:
        return None
    value = int(text)
    if value < 100:
        return 2000 + value if value < 70 else 1900 + value
    return value


def _month(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else MONTHS.get(text.lower().rstrip("."))


def _weekday(text: str | None) -> int | None:
    if not text:
        return None
    return WEEKDAYS.get(text.lower().replace("’", "'"))


def _real_day(match: re.Match[str]) -> bool:
    return 1 <= int(match.group("m")) <= 12 and 1 <= int(match.group("d")) <= 31


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in a text, long and numeric forms, in order of position."""
    found: list[DateMention] = []
    for match in LONG_DATE.finditer(text):
        g = match.groupdict()
        month = _month(g["m"])
        if month is None:
            continue
        if g["m1"]:  # "30 Juni - 2 Juli": the first day has its own month
            start_month, end_month = _month(g["m1"]), month
        else:
            start_month, end_month = month, month if g["d2"] else None
        year = full_year(g["y"])
        found.append(DateMention(
            int(g["d"]), start_month or month, year, _weekday(g["wd"]),
            int(g["d2"]) if g["d2"] else None, end_month, year if g["d2"] else None,
            match.span(), match.group(0),
        ))  # fmt: skip
    for match in NUMERIC_DATE.finditer(text):
        g = match.groupdict()
        if g["open"]:
            day, month, year, wd = int(g["d"]), int(g["m"]), full_year(g["y"]), _weekday(g["wd"])
            end_day = int(g["d2"]) if g["d2"] else None
            end_month = int(g["m2"]) if g["m2"] else None
            end_year = full_year(g["y2"]) if g["d2"] else None
        else:
            day, month, year, wd = int(g["db"]), int(g["mb"]), int(g["yb"]), _weekday(g["wdb"])
            end_day = end_month = end_year = None
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if any(m.span[0] <= match.start() < m.span[1] for m in found):
            continue
        found.append(DateMention(
            day, month, year, wd, end_day, end_month, end_year, match.span(), match.group(0),
        ))  # fmt: skip
    dateline = NEWS_DATELINE.match(text)
    if dateline and _real_day(dateline) and not any(m.span[0] < dateline.end() for m in found):
        span = dateline.span("d")[0], dateline.end()
        found.append(DateMention(int(dateline.group("d")), int(dateline.group("m")),
                                 full_year(dateline.group("y")), None, None, None, None, span,
                                 text[span[0] : span[1]]))  # fmt: skip
    return sorted(found, key=lambda m: m.span)


def bare_weekdays(text: str, dates: list[DateMention]) -> list[tuple[int, tuple[int, int]]]:
    """(weekday, span) of weekdays written without a date ("…, Rabu."), outside date mentions."""
    found = []
    for match in BARE_WEEKDAY.finditer(text):
        if any(m.span[0] <= match.start("wd") < m.span[1] for m in dates):
            continue
        weekday = _weekday(match.group("wd"))
        if weekday is not None:
            found.append((weekday, match.span("wd")))
    return found


def weekday_on_or_before(reference: date, weekday: int) -> date:
    """The date with this weekday in the six days up to `reference` (news: "Rabu" = this Wednesday)."""
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def stated_years(text: str) -> list[int]:
    """Years written as "tahun 2019" or "Juni 2021" (not bare numbers, which may be anything)."""
    years = [int(m.group("y")) for m in TAHUN_YEAR.finditer(text)]
    years += [int(m.group("y")) for m in MONTH_YEAR.finditer(text)]
    return years


def make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar date, else None."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_end(mention: DateMention, start: date, year: int) -> date | None:
    if mention.end_day is None:
        return None
    end_year = mention.end_year or year
    end_month = mention.end_month or mention.month
    end = make_date(end_year, end_month, mention.end_day)
    if end is not None and end < start and mention.end_year is None:
        end = make_date(end_year + 1, end_month, mention.end_day)
    return end if end is not None and end >= start else None


def resolve(
    mention: DateMention,
    sentence_years: list[int],
    anchor_years: list[int],
    weak_years: list[int],
) -> ResolvedDate | None:
    """The calendar date of a mention, or None when nothing supports a year for it.

    A stated year is used as written. Otherwise candidate years are tried in order: years in the same
    sentence, then the document's anchor years (full dates, the programme's year, the publication
    date), then other stated years. With a weekday, the first year whose calendar agrees wins
    (inferred). Without a weekday, only a single unambiguous sentence or anchor year is used.
    """
    if mention.year is not None:
        start = make_date(mention.year, mention.month, mention.day)
        if start is None:
            return None
        agrees = mention.weekday is None or start.weekday() == mention.weekday
        return ResolvedDate(start, _with_end(mention, start, mention.year), "stated",
                            0.95 if agrees else 0.6, mention.surface)  # fmt: skip
    ordered = list(dict.fromkeys(sentence_years + anchor_years + weak_years))
    if mention.weekday is not None:
        for year in ordered:
            start = make_date(year, mention.month, mention.day)
            if start is not None and start.weekday() == mention.weekday:
                return ResolvedDate(start, _with_end(mention, start, year), "inferred", 0.8,
                                    mention.surface)  # fmt: skip
        return None
    candidates = set(sentence_years) or set(anchor_years)
    if len(candidates) != 1:
        return None
    year = candidates.pop()
    start = make_date(year, mention.month, mention.day)
    if start is None:
        return None
    return ResolvedDate(start, _with_end(mention, start, year), "inferred", 0.6, mention.surface)
