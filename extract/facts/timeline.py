"""Dates of a document resolved to the calendar, each with a role: the visit, another event,
a press statement ("dalam keterangannya, Kamis (25/7/2024)") or the dateline of the page.

Years for dates written without one come from what the document states: its full dates, the
programme's year ("Angkatan XIII Tahun 2018"), its publication date, then other stated years.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extract.facts.context import VISIT_CUE, DocContext
from extract.facts.dates import (
    NEWS_DATELINE,
    bare_weekdays,
    find_dates,
    resolve,
    stated_years,
    weekday_on_or_before,
)
from extract.facts.model import DateFact
from extract.facts.programs import find_programs
from extract.facts.text import evidence

STATEMENT_BEFORE = re.compile(
    r"\b(?:keterangan\w*(?:\s+tertulis)?|dikutip\b[^,]*|dihubungi|dikonfirmasi|ditemui|siaran\s+pers|"
    r"rilis\w*)\s*,?\s*(?:pada\s+)?(?:hari\s+)?$",
    re.I,
)
DATELINE_AFTER = re.compile(r"^\s*(?:\||pukul|\d{1,2}[:.]\d{2}|WIB|WITA|WIT)", re.I)
# "Waktu pelaksanaan: Kamis, 14 September 2023", "dilaksanakan pada …": the activity's own date.
ACTIVITY_LABEL = re.compile(
    r"\b(?:(?:waktu|tanggal|hari\s*/\s*tanggal|hari,?\s+tanggal|jadwal)\s+"
    r"(?:pelaksanaan|kegiatan|kunjungan|benchmarking)|hari\s*/\s*tanggal|"
    r"(?:dilaksanakan|berlangsung|digelar|diselenggarakan)(?:\s+(?:pada|sejak|mulai))?(?:\s+(?:hari|tanggal))?)"
    r"\s*:?\s*$",
    re.I,
)
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
    if visit_doc and ACTIVITY_LABEL.search(before[-60:]):
        return "visit"
    if STATEMENT_BEFORE.search(before[-60:]):
        return "statement"
    if NEWS_DATELINE.match(text) and start < NEWS_DATELINE.match(text).end():
        return "dateline"
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
    if ctx.is_visit and not any(f.role == "visit" for f in facts):
        facts += weekday_visits(ctx, facts)
    if ctx.is_visit and not any(f.role == "visit" for f in facts):
        lead = next((f for f in facts if f.role == "dateline" and NEWS_DATELINE.match(f.evidence)), None)
        if lead is not None:  # "Jakarta, 12/3 (Antara) - Peserta …": a news lead reports that day
            facts.append(replace(lead, role="visit", source="inferred", confidence=0.5))
    return facts


def reference_date(ctx: DocContext, facts: list[DateFact]) -> date | None:
    """The day the document was written: its publication date, else its dateline."""
    if ctx.doc.published_date:
        return ctx.doc.published_date
    return next((f.start for f in facts if f.role == "dateline"), None)


def weekday_visits(ctx: DocContext, facts: list[DateFact]) -> list[DateFact]:
    """ "… ke Pemkot Padang, Rabu.": a weekday alone in a visit sentence is that day of the week of
    the document's date (news style); nothing when the document has no date."""
    reference = reference_date(ctx, facts)
    if reference is None:
        return []
    for sentence in ctx.sentences:
        if not VISIT_CUE.search(sentence.text):
            continue
        for weekday, (start, end) in bare_weekdays(sentence.text, find_dates(sentence.text)):
            day = weekday_on_or_before(reference, weekday)
            surface = sentence.text[start:end]
            return [DateFact(day, None, "inferred", "visit", surface, sentence.page,
                             evidence(sentence.text), 0.6)]  # fmt: skip
    return []


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
    if ctx.doc.published_date:
        return ctx.doc.published_date.year, "inferred"
    return None, None
