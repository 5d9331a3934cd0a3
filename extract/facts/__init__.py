"""Facts from benchmarking documents: visits, groups, origins, host units, awards, practices,
people and metrics, each with its page, evidence sentence and confidence.

`extract_facts(doc)` is pure: the same document always gives the same facts. An extractor that
fails on odd input records a line in `FactSet.errors` and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from extract.facts.awards import extract_awards
from extract.facts.context import DocContext, build_context
from extract.facts.groups import extract_groups
from extract.facts.metrics import extract_metrics
from extract.facts.model import FactSet
from extract.facts.organiser import extract_organiser
from extract.facts.participants import participant_origins
from extract.facts.people import extract_people
from extract.facts.practices import extract_practices
from extract.facts.site import extract_site, other_hosts
from extract.facts.timeline import document_year, extract_dates
from extract.facts.units import extract_host_units
from extract.facts.visit import extract_visit
from extract.model import Document

__all__ = ["FactSet", "extract_facts"]

T = TypeVar("T")


def _safely(facts: FactSet, name: str, default: T, step: Callable[[], T]) -> T:
    try:
        return step()
    except Exception as exc:  # one extractor's bug must not lose the document's other facts
        facts.errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
        return default


def extract_facts(doc: Document) -> FactSet:
    """Every fact of a document, linked to its page and evidence sentence."""
    facts = FactSet(document_id=doc.document_id)
    ctx: DocContext | None = _safely(facts, "context", None, lambda: build_context(doc))
    if ctx is None:
        return facts
    facts.site = _safely(facts, "site", None, lambda: extract_site(ctx))
    host = ctx.gazetteer.by_code.get(facts.site.code) if facts.site else None
    facts.dates = _safely(facts, "dates", [], lambda: extract_dates(ctx))
    year = _safely(facts, "year", (None, None), lambda: document_year(ctx, facts.dates))
    facts.year = year[0]
    facts.origins = _safely(
        facts, "origins", [], lambda: participant_origins(ctx, host.code if host else None)
    )
    organiser = _safely(facts, "organiser", (None, 0.0), lambda: extract_organiser(ctx, host, facts.origins))
    visit = _safely(
        facts,
        "visit",
        None,
        lambda: extract_visit(ctx, facts.site, facts.dates, year, organiser, facts.origins),
    )
    facts.visits = [visit] if visit else []
    others = _safely(facts, "other_hosts", (), lambda: other_hosts(ctx, facts.site))
    facts.host_units = _safely(facts, "host_units", [], lambda: extract_host_units(ctx, host, others))
    facts.groups = _safely(facts, "groups", [], lambda: extract_groups(ctx, host) if visit else [])
    facts.awards = _safely(facts, "awards", [], lambda: extract_awards(ctx, facts.site))
    facts.people = _safely(facts, "people", [], lambda: extract_people(ctx))
    facts.practices = _safely(facts, "practices", [], lambda: extract_practices(ctx, facts.site))
    facts.metrics = _safely(facts, "metrics", [], lambda: extract_metrics(ctx, facts.site))
    return facts
