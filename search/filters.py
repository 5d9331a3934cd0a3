"""Search filters: host region, province, programme, year range, document type and language.

A document's region, province, programme and years come from its facts (fact_sites: the region
it is about; fact_visits: the host of a visit it reports), its years also from its publication
date; its type and language from `documents`. Filters are applied before ranking, so a filtered
search returns as many results as asked for whenever that many documents match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

_YEARS = re.compile(r"^\s*(\d{4})?\s*(?:(\.\.|-|–)\s*(\d{4})?)?\s*$")


@dataclass(frozen=True)
class SearchFilters:
    """What to narrow a search to; None means any."""

    region: str | None = None  # name ("Kabupaten Banyuwangi", "Banyuwangi") or code ("35.10")
    province: str | None = None  # "Jawa Timur", "Provinsi Jawa Timur", "DI Yogyakarta"
    program: str | None = None  # "Diklatpim III", "PKA", "PKN II"
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None  # pdf | html | text
    language: str | None = None  # "id", "en"

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self))


NO_FILTERS = SearchFilters()


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """'2015..2019', '2015-2019', '2018', '2015..' or '..2019' as (from, to); ValueError if not."""
    if not text or not text.strip():
        return None, None
    match = _YEARS.match(text)
    if not match or not (match.group(1) or match.group(3)):
        raise ValueError(f"not a year or year range: {text!r} (use 2018 or 2015..2019)")
    first = int(match.group(1)) if match.group(1) else None
    last = int(match.group(3)) if match.group(3) else None
    if match.group(2) is None:
        last = first
    if first and last and first > last:
        raise ValueError(f"the year range {text!r} ends before it starts")
    return first, last


# SQL expressions normalising names on both sides of a comparison.
def _province_sql(x: str) -> str:
    return (
        f"regexp_replace(regexp_replace(lower(trim({x})), '^provinsi\\s+', ''), "
        f"'^daerah istimewa\\s+', 'di ')"
    )


def _region_sql(x: str) -> str:
    return f"regexp_replace(lower(trim({x})), '^(kota|kabupaten|kab\\.?|provinsi|kecamatan)\\s+', '')"


def _program_sql(x: str) -> str:
    return f"regexp_replace(lower({x}), '(tingkat|tk\\.?|[^a-z0-9])+', '', 'g')"


PLACES_SQL = """
    SELECT document_id, region, region_code, province, year FROM fact_sites
    UNION ALL
    SELECT document_id, host_region, host_region_code, host_province, year FROM fact_visits
"""


def allowed_documents_sql(filters: SearchFilters) -> tuple[str, list]:
    """SQL selecting the document_id of every active document passing the filters, and its params."""
    where = ["d.status = 'active'"]
    params: list = []
    if filters.doc_type:
        where.append("lower(d.doc_type) = lower(?)")
        params.append(filters.doc_type.strip())
    if filters.language:
        where.append("lower(d.language) = lower(?)")
        params.append(filters.language.strip())
    if filters.region:
        value = filters.region.strip()
        where.append(
            f"d.document_id IN (SELECT document_id FROM ({PLACES_SQL}) p WHERE p.region_code = ? "
            f"OR starts_with(p.region_code, ? || '.') OR lower(p.region) = lower(?) "
            f"OR {_region_sql('p.region')} = {_region_sql('?')})"
        )
        params += [value, value, value, value]
    if filters.province:
        where.append(
            f"d.document_id IN (SELECT document_id FROM ({PLACES_SQL}) p "
            f"WHERE {_province_sql('p.province')} = {_province_sql('?')})"
        )
        params.append(filters.province)
    if filters.program:
        where.append(
            "d.document_id IN (SELECT document_id FROM ("
            "SELECT document_id, program FROM fact_visits WHERE program IS NOT NULL UNION ALL "
            "SELECT document_id, unnest(programs) FROM fact_visits WHERE programs IS NOT NULL) v "
            f"WHERE {_program_sql('v.program')} = {_program_sql('?')})"
        )
        params.append(filters.program)
    if filters.year_from is not None or filters.year_to is not None:
        low = filters.year_from if filters.year_from is not None else -9999
        high = filters.year_to if filters.year_to is not None else 9999
        where.append(
            f"d.document_id IN (SELECT document_id FROM ({PLACES_SQL}) p "
            "WHERE p.year BETWEEN ? AND ? "
            "UNION SELECT document_id FROM documents WHERE year(published_date) BETWEEN ? AND ?)"
        )
        params += [low, high, low, high]
    return f"SELECT d.document_id FROM documents d WHERE {' AND '.join(where)}", params
