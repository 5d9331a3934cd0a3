"""Which host regions (and units in them) are the best places to visit for a topic, with evidence.

A region's score starts from the relevance of its documents to the topic (the search's fused
score, best document counting fully and each further one half as much as the one before), and
grows with what backs it: practices, units and visit topics that match the topic, awards, and its
visit history (how many cohorts went, how recently). Without relevant documents a region is not
ranked at all, however often it was visited.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import duckdb

from search.concepts import default_concepts, normalise_text
from search.embedders import Embedder
from search.filters import NO_FILTERS, PLACES_SQL, SearchFilters
from search.index import require_index
from search.lexical import QueryTerms
from search.query import DEFAULT_FUSION, FusionConfig, Mode, rank_documents, word_matcher

SEP = "\x1f"
CANDIDATE_DOCUMENTS = 30
MAX_EVIDENCE = 8
# How much each kind of backing adds, relative to relevance (score = relevance × (1 + bonus)).
MATCHED_FACT_BONUS = 0.25  # per matching practice, unit or visit topic (at most 4 count)
AWARD_BONUS = 0.05  # per award in a relevant document (at most 4 count); a matching one 0.25
VISIT_BONUS = 0.1  # × log2(1 + visits received)
RECENT_BONUS = 0.1  # for a visit within the last 3 years of the corpus's newest visit


@dataclass(frozen=True)
class Evidence:
    document_id: str
    source_uri: str
    title: str | None
    reason: str


@dataclass(frozen=True)
class SiteResult:
    rank: int
    region: str
    region_code: str
    province: str | None
    score: float
    units: list[str]
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict:
        """The keys `lokus sites --json` prints."""
        return asdict(self)


@dataclass
class _Region:
    code: str
    name: str
    province: str | None
    docs: dict[str, float] = field(default_factory=dict)  # document -> relevance (0..1)
    matched: list[tuple[float, str, str]] = field(default_factory=list)  # (weight, doc, reason)
    units: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    awards: list[tuple[str, str, bool]] = field(default_factory=list)  # (doc, text, matched)
    visits: list[tuple[str, int | None, str]] = field(default_factory=list)  # (doc, year, text)


def fact_match(terms: QueryTerms, concepts_wanted: dict[str, float], text: str) -> float:
    """How well a fact's text matches the query: 1 for a typed word or concept, 0.5 for a related
    term, 0 for none."""
    if not text:
        return 0.0
    found = {c.key for c in default_concepts().find(text)}
    best = max((concepts_wanted.get(key, 0.0) for key in found), default=0.0)
    if best >= 1.0:
        return 1.0
    is_match = word_matcher(terms)
    words = [w for w in normalise_text(text).split() if len(w) > 2]
    if any(is_match(w) for w in words):
        return 1.0
    return best


def _wanted_concepts(query: str) -> dict[str, float]:
    rewrite = default_concepts().rewrite(query)
    wanted = {related: 0.5 for related in rewrite.related}
    wanted.update({key: 1.0 for key in rewrite.concepts})
    return wanted


def rank_sites(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    embedder: Embedder | None,
    top: int = 5,
    filters: SearchFilters = NO_FILTERS,
    mode: Mode | None = None,
    config: FusionConfig = DEFAULT_FUSION,
) -> list[SiteResult]:
    """Host regions ranked for a topic, each with its units and the evidence that placed it."""
    mode = mode or ("hybrid" if embedder is not None else "bm25")
    ranked = rank_documents(
        conn, query, embedder=embedder, top=CANDIDATE_DOCUMENTS, mode=mode, config=config, filters=filters
    )
    if ranked is None or not ranked.docs:
        return []
    from search.query import _lexical  # the same cached index rank_documents used

    lex = _lexical(conn, require_index(conn))
    docs = ranked.docs[:CANDIDATE_DOCUMENTS]
    high = max(score for _, score in docs) or 1.0
    relevance = {lex.documents.keys[u]: max(score, 0.0) / high for u, score in docs}
    relevance = {d: r for d, r in relevance.items() if r >= 0.1}
    if not relevance:
        return []
    ids = [SEP.join(relevance)]
    regions = _regions_of(conn, ids, relevance)
    wanted = _wanted_concepts(query)
    _add_facts(conn, ids, regions, ranked.terms, wanted)
    _add_visits(conn, regions)
    newest = max((y for r in regions.values() for _, y, _ in r.visits if y), default=None)
    cited = set(relevance) | {doc for r in regions.values() for doc, _, _ in r.visits}
    meta = _documents(conn, [SEP.join(cited)])
    scored = []
    for region in regions.values():
        score = _score(region, newest)
        scored.append((score, region))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    out = []
    for score, region in scored[:top]:
        out.append(
            SiteResult(
                rank=len(out) + 1,
                region=region.name,
                region_code=region.code,
                province=region.province,
                score=round(score, 4),
                units=[u for u, _ in sorted(region.units.items(), key=lambda i: (-i[1], i[0]))][:5],
                evidence=_evidence(region, meta),
            )
        )
    return out


def _regions_of(conn, ids: list[str], relevance: dict[str, float]) -> dict[str, _Region]:
    """The regions the relevant documents are about or report a visit to (kecamatan → kabupaten)."""
    regions: dict[str, _Region] = {}
    rows = conn.execute(
        f"""
        SELECT p.document_id, p.region_code, mode(p.region), mode(p.province), any_value(g.level)
        FROM ({PLACES_SQL}) p LEFT JOIN region_gazetteer g ON g.code = p.region_code
        WHERE p.region_code IS NOT NULL
          AND p.document_id IN (SELECT unnest(string_split(?, chr(31))))
        GROUP BY ALL
        """,
        ids,
    ).fetchall()
    for doc, code, name, province, level in rows:
        if level == "kecamatan":  # a kecamatan's document counts for its kabupaten/kota
            continue
        region = regions.setdefault(code, _Region(code, name, province))
        region.docs[doc] = relevance[doc]
    return regions


def _add_facts(conn, ids: list[str], regions: dict[str, _Region], terms: QueryTerms, wanted) -> None:
    """Practices, units, visit topics and awards of the relevant documents, matched to the query."""
    by_doc: dict[str, list[_Region]] = defaultdict(list)
    for region in regions.values():
        for doc in region.docs:
            by_doc[doc].append(region)
    facts = conn.execute(
        """
        SELECT 'practice', document_id, name, concat_ws(' ', name, expansion, summary), page_no, NULL
        FROM fact_practices WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))
        UNION ALL
        SELECT 'unit', document_id, name, concat_ws(' ', name, canonical), page_no, region_code
        FROM fact_host_units WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))
        UNION ALL
        SELECT 'topic', document_id, topic, concat_ws(' ', topic, host_unit), page_no, NULL
        FROM fact_visit_groups WHERE topic IS NOT NULL
          AND document_id IN (SELECT unnest(string_split(?, chr(31))))
        UNION ALL
        SELECT 'award', document_id, concat_ws(' ', award, year), award, page_no, NULL
        FROM fact_awards WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))
        ORDER BY 2, 5 NULLS LAST, 3
        """,
        ids * 4,
    ).fetchall()
    for kind, doc, label, text, page, unit_code in facts:
        match = fact_match(terms, wanted, text)
        where = f" (p. {page})" if page else ""
        for region in by_doc.get(doc, []):
            if kind == "unit" and unit_code and not unit_code.startswith(region.code):
                continue
            if kind == "unit":
                region.units[label] += 1.0 + 2.0 * match
            if kind == "award":
                region.awards.append((doc, f"award: {label}{where}", match > 0))
            elif match > 0:
                region.matched.append((match, doc, f"{kind} matching the topic: {label}{where}"))


def _add_visits(conn, regions: dict[str, _Region]) -> None:
    """Every visit each region hosted (from all active documents, not only the relevant ones)."""
    if not regions:
        return
    rows = conn.execute(
        """
        SELECT v.host_region_code, v.document_id, v.year, v.program, v.cohort, v.participant_count
        FROM fact_visits v JOIN documents d USING (document_id)
        WHERE d.status = 'active' AND v.host_region_code IN (SELECT unnest(string_split(?, chr(31))))
        ORDER BY v.year NULLS LAST, v.visit_id
        """,
        [SEP.join(regions)],
    ).fetchall()
    for code, doc, year, program, cohort, participants in rows:
        parts = [program or "a cohort", f"angkatan {cohort}" if cohort else None, str(year) if year else None,
                 f"{participants} peserta" if participants else None]
        regions[code].visits.append((doc, year, "visit: " + ", ".join(p for p in parts if p)))


def _score(region: _Region, newest: int | None) -> float:
    rel = sorted(region.docs.values(), reverse=True)
    relevance = sum(r * 0.5**i for i, r in enumerate(rel))
    matched = sorted((w for w, _, _ in region.matched), reverse=True)[:4]
    awards = region.awards[:4]
    bonus = MATCHED_FACT_BONUS * sum(matched)
    bonus += sum(0.25 if matched_award else AWARD_BONUS for _, _, matched_award in awards)
    bonus += VISIT_BONUS * math.log2(1 + len(region.visits))
    years = [y for _, y, _ in region.visits if y]
    if newest and years and max(years) >= newest - 2:
        bonus += RECENT_BONUS
    return relevance * (1.0 + bonus)


def _documents(conn, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    rows = conn.execute(
        "SELECT document_id, source_uri, title FROM documents "
        "WHERE document_id IN (SELECT unnest(string_split(?, chr(31))))",
        ids,
    ).fetchall()
    return {d: (uri, title) for d, uri, title in rows}


def _evidence(region: _Region, meta: dict[str, tuple[str, str | None]]) -> list[Evidence]:
    """Matching facts first, then the relevant documents, awards and visits, at most MAX_EVIDENCE."""
    items: list[tuple[str, str]] = []
    for _, doc, reason in sorted(region.matched, key=lambda m: (-m[0], -region.docs.get(m[1], 0))):
        items.append((doc, reason))
    for doc, rel in sorted(region.docs.items(), key=lambda i: -i[1]):
        items.append((doc, f"document relevant to the topic (relevance {rel:.2f})"))
    items += [(doc, reason) for doc, reason, matched in region.awards if matched]
    items += [(doc, reason) for doc, reason, matched in region.awards if not matched]
    items += [(doc, reason) for doc, _, reason in reversed(region.visits)]
    out, seen = [], set()
    for doc, reason in items:
        if (doc, reason) in seen or doc not in meta:
            continue
        seen.add((doc, reason))
        uri, title = meta.get(doc, ("", None))
        out.append(Evidence(doc, uri, title, reason))
        if len(out) >= MAX_EVIDENCE:
            break
    return out
