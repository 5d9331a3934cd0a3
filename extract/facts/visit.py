"""The visit a document reports: programme, cohort, host, dates, participants, organiser, reasons."""

from __future__ import annotations

import re
from collections import Counter

from extract.facts.context import DocContext
from extract.facts.model import DateFact, ParticipantOrigin, Site, Visit
from extract.facts.participants import participant_count
from extract.facts.programs import ProgramMention, find_cohorts, find_programs
from extract.facts.text import evidence
from extract.facts.timeline import visit_date

REASON = re.compile(r"\b(?:alasan|dipilih|memilih|dipilihlah|terpilihlah|karena|sebab)\b", re.I)
MAX_REASONS = 3


def program_mentions(ctx: DocContext) -> list[tuple[int, ProgramMention]]:
    """(sentence index, mention) for every programme mention, the title's as index -1."""
    found = [(-1, m) for m in find_programs(ctx.title)]
    for sentence in ctx.sentences:
        found += [(sentence.index, m) for m in find_programs(sentence.text)]
    return found


def choose_program(mentions: list[tuple[int, ProgramMention]]) -> tuple[str | None, tuple[str, ...]]:
    """The programme named most often (first named on a tie) and every programme named."""
    if not mentions:
        return None, ()
    counts = Counter(m.program for _, m in mentions)
    order = list(dict.fromkeys(m.program for _, m in mentions))
    best = max(order, key=lambda p: (counts[p], -order.index(p)))
    return best, tuple(order)


def choose_cohort(
    ctx: DocContext, mentions: list[tuple[int, ProgramMention]], program: str | None
) -> int | None:
    """The cohort written with the chosen programme, else one in a sentence about the programme."""
    for _, mention in mentions:
        if mention.program == program and mention.cohort:
            return mention.cohort
    program_sentences = {i for i, _ in mentions}
    for sentence in ctx.sentences:
        if sentence.index in program_sentences or re.search(r"\bpeserta\b", sentence.text, re.I):
            cohorts = find_cohorts(sentence.text)
            if cohorts:
                return cohorts[0].cohort
    return None


def reasons(ctx: DocContext, site: Site | None) -> tuple[str, ...]:
    """Sentences that give the reasons for choosing the host."""
    found = []
    host_word = site.region.split()[-1].lower() if site else ""
    for sentence in ctx.sentences:
        text = sentence.text
        if REASON.search(text) and (not host_word or host_word in text.lower()):
            found.append(evidence(text))
    return tuple(found[:MAX_REASONS])


def extract_visit(
    ctx: DocContext,
    site: Site | None,
    dates: list[DateFact],
    year: tuple[int | None, str | None],
    organiser: tuple[str | None, float],
    origins: list[ParticipantOrigin],
) -> Visit | None:
    """The document's visit, or None when it reports none."""
    if not ctx.is_visit:
        return None
    mentions = program_mentions(ctx)
    program, programs = choose_program(mentions)
    cohort = choose_cohort(ctx, mentions, program)
    when = visit_date(dates)
    count = participant_count(ctx)
    counted = [o.participants for o in origins]
    total = sum(counted) if counted and all(c is not None for c in counted) else None  # type: ignore[misc]
    consistent = (total == count.value) if total is not None and count is not None else None
    anchor = next((s for s in ctx.sentences if mentions and s.index == mentions[0][0]), None)
    anchor = anchor or (ctx.sentences[0] if ctx.sentences else None)
    filled = sum(x is not None for x in (program, site, when, count, organiser[0]))
    return Visit(
        program=program, cohort=cohort, year=year[0], year_source=year[1], organiser=organiser[0],
        host_region=site.region if site else None, host_region_code=site.code if site else None,
        host_province=site.province if site else None,
        start_date=when.start if when else None, end_date=when.end if when else None,
        date_source=when.source if when else None,
        participant_count=count.value if count else None,
        origins_total=total, origins_consistent=consistent,
        reasons=reasons(ctx, site),
        page=anchor.page if anchor else 1, evidence=evidence(anchor.text if anchor else ctx.title),
        confidence=round(0.4 + 0.1 * filled, 2),
        programs=programs if len(programs) > 1 else (),
    )  # fmt: skip
