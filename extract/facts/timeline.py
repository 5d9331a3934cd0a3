"""Dates of a document resolved to the calendar, each with a role: the visit, another event,
a press statement ("dalam keterangannya, Kamis (25/7/2024)") or the dateline of the page.

Years for dates written without one come from what the document states: its full dates, the
programme's year ("Angkatan XIII Tahun 2018"), its publication date, then other stated years.
"""

from __future__ import annotations

import re

from extract.facts.context import VISIT_CUE, DocContext
from extract.facts.dates import find_dates, resolve, stated_years
from extract.facts.model import DateFact
from extract.facts.programs import find_programs
from extract.facts.text import evidence

STATEMENT_BEFORE = re.compile(
    r"\b(?:keterangan\w*(?:\s+tertulis)?|dikutip\b[^,]*|dihubungi|dikonfirmasi|ditemui|siaran\s+pers|"
    r"rilis\w*)\s*,?\s*(?:pada\s+)?(?:hari\s+)?$",
    re.I,
)
DATELINE_AFTER = re.compile(r"^\s*(?:\||pukul|\d{1,2}[:.]\d{2}|WIB|WITA|WIT)", re.I)
MAX_DATELINE_EXTRA = 25


def anchor_years(ctx: DocContext) -> tuple[list[int], list[int]]:
    """(strong years: full dates, programme years, publication; weak years: other stated years)."""
    strong: list[int] = []
    weak: list[int] = []
    for sentence in ctx.sentences:
        strong += [m.year for m in find_dates(sentence.text) if m.year]
        strong += [p.year for p in find_programs(sentence.text) if p.year]
        weak += stated_years(sentence.text)
    if ctx.doc.published_date:
        strong.append(ctx.doc.published_date.year)
    return list(dict.fromkeys(strong)), list(dict.fromkeys(weak))


def date_role(text: str, start: int, end: int, visit_doc: bool) -> str:
    """What a date in a sentence dates: visit, statement, dateline or (other) event."""
    before, after = text[:start], text[end:]
    if STATEMENT_BEFORE.search(before[-60:]):
        return "statement"
    if len(text) - (end - start) <= MAX_DATELINE_EXTRA or DATELINE_AFTER.match(after):
        return "dateline"
    if visit_doc and VISIT_CUE.search(text):
        return "visit"
    return "event"


def extract_dates(ctx: DocContext) -> list[DateFact]:
    """Every date of the document that the text supports, in reading order."""
    strong, weak = anchor_years(ctx)
    facts: list[DateFact] = []
    for sentence in ctx.sentences:
        mentions = find_dates(sentence.text)
        in_sentence = [m.year for m in mentions if m.year] + stated_years(sentence.text)
        in_sentence += [p.year for p in find_programs(sentence.text) if p.year]
        for mention in mentions:
            resolved = resolve(mention, in_sentence, strong, weak)
            if resolved is None:
                continue
            role = date_role(sentence.text, *mention.span, ctx.is_visit)
            facts.append(DateFact(
                resolved.start, resolved.end, resolved.source, role, resolved.surface,
                sentence.page, evidence(sentence.text), resolved.confidence,
            ))  # fmt: skip
    return facts


def visit_date(dates: list[DateFact]) -> DateFact | None:
    """The first date that dates the visit itself."""
    return next((d for d in dates if d.role == "visit"), None)


def document_year(ctx: DocContext, dates: list[DateFact]) -> tuple[int | None, str | None]:
    """The year the document reports on, and whether it was stated or inferred.

    The visit's date first, then a year written with the programme, then any other dated event or
    statement, then the dateline. None when the document supports no year.
    """
    visit = visit_date(dates)
    if visit:
        return visit.start.year, visit.source
    for sentence in ctx.sentences:
        for program in find_programs(sentence.text):
            if program.year:
                return program.year, "stated"
    for role in ("event", "statement", "dateline"):
        found = next((d for d in dates if d.role == role), None)
        if found:
            return found.start.year, found.source
    return None, None
