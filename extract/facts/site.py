"""The host region (lokus) of a document: the region the text is about, not where visitors came from.

Each mention of a province, kabupaten or kota earns points: one per mention, more in the title,
after a host cue ("ke", "di", "lokus", "mengunjungi"), or with a government prefix ("Pemkot",
"Bupati"); fewer after an origin cue ("dari", "asal") or right after a training agency's name.
A bare name shared by a kota and a kabupaten splits its points until a prefix decides.
Provinces count half: a visit's host is usually a kota or kabupaten inside one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extract.facts.context import DocContext
from extract.facts.model import Site
from extract.facts.regions import Region, RegionMention
from extract.facts.text import evidence

HOST_CUE = re.compile(
    r"(?:\b(?:ke|di|lokus|locus|mengunjungi|kunjungi|menuju|tujuan|tiba\s+di|adalah)\s+"
    r"(?:(?:pemerintah|hari|kantor|balai\s*kota)\s+)?|\bkunjungan\s+(?:ke\s+)?)$",
    re.I,
)
ORIGIN_CUE = re.compile(
    r"(?:\b(?:dari|asal|berasal\s+dari|peserta|delegasi|rombongan|lingkup|PNS)\s+(?:\w+\s+){0,2}|,\s*|\bdan\s+)$",
    re.I,
)
AGENCY_BEFORE = re.compile(
    r"\b(?:BPSDM\w*|BKPSDM\w*|BKD\w*|BPPD|Diklat\w*|Badiklat|Bandiklat|Pusdiklat|Kepala|Sekda|"
    r"Sekretaris\s+Daerah|Regional|Tingkat\s+\w+|Tk\.?\s*\w+|I{1,3}V?|IV)\s*\)?\s*$",
)
GOVERNMENT_PREFIXES = {"pemerintah kota", "pemerintah kabupaten", "pemerintah provinsi", "pemkot",
                       "pemkab", "pemprov", "walikota", "wali kota", "bupati", "gubernur"}  # fmt: skip
PROVINCE_WEIGHT = 0.5


def mention_points(text: str, mention: RegionMention, in_title: bool) -> float:
    """The points one mention earns for its region being the host."""
    before = text[max(0, mention.start - 40) : mention.start]
    points = 1.0 + (2.0 if in_title else 0.0)
    if HOST_CUE.search(before):
        points += 2.0
    elif re.search(r"\b(?:dari|asal|berasal)\b[^.]{0,40}$", before, re.I):
        points -= 1.5
    if mention.prefix and mention.prefix.lower() in GOVERNMENT_PREFIXES:
        points += 1.0
    if AGENCY_BEFORE.search(before):
        points -= 0.5
    after = text[mention.end : mention.end + 20]
    if re.match(r"\s*:?\s*\d+\s+(?:orang|peserta)", after):
        points -= 1.5
    return points


def host_scores(ctx: DocContext) -> dict[str, float]:
    """Points per region code over the title and every sentence.

    In a text known not to be Indonesian, a bare capitalised word ("Metro", "Bone") is no evidence:
    only prefixed names ("Kota Metro") count there.
    """
    scores: dict[str, float] = defaultdict(float)
    bare_names_count = ctx.indonesian
    texts = [(ctx.title, ctx.title_mentions, True)]
    texts += [(s.text, m, False) for s, m in zip(ctx.sentences, ctx.mentions, strict=True)]
    for text, mentions, in_title in texts:
        for mention in mentions:
            candidates = [r for r in mention.candidates if r.level != "kecamatan"]
            if not candidates or (mention.prefix is None and not bare_names_count):
                continue
            points = mention_points(text, mention, in_title) / len(candidates)
            for region in candidates:
                weight = PROVINCE_WEIGHT if region.level == "provinsi" else 1.0
                scores[region.code] += points * weight
    return scores


def first_evidence(ctx: DocContext, region: Region) -> tuple[int, str]:
    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        if any(region in m.candidates for m in mentions):
            return sentence.page, evidence(sentence.text)
    page = ctx.sentences[0].page if ctx.sentences else 1
    return page, evidence(ctx.title)


# "... ke Kota Pelita Raya" in a title: where the visit went, named with its kind.
TITLE_DESTINATION = re.compile(
    r"\b(?:ke|di|mengunjungi|kunjungi)\s+(?:Kota|Kabupaten|Kab\.?|Pemkot|Pemkab)\s+"
    r"([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
)


def unknown_title_destination(ctx: DocContext) -> bool:
    """Whether the title sends the visit to a kota or kabupaten the gazetteer does not know: then
    every region it does know in the text is more likely the visitors' origin than the host."""
    match = TITLE_DESTINATION.search(ctx.title or "")
    if match is None:
        return False
    start, end = match.span(1)
    return not any(
        m.start < end and m.end > start and any(r.level in ("kota", "kabupaten") for r in m.candidates)
        for m in ctx.title_mentions
    )


def extract_site(ctx: DocContext) -> Site | None:
    """The host region of the document, or None when no region scores above zero or the title
    names a destination the gazetteer does not know (better no host than the visitors' origin)."""
    scores = host_scores(ctx)
    if not scores or unknown_title_destination(ctx):
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    code, best = ranked[0]
    if best <= 0:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    region = ctx.gazetteer.by_code[code]
    page, text = first_evidence(ctx, region)
    margin = (best - max(runner_up, 0.0)) / best
    confidence = round(min(0.95, 0.5 + 0.45 * margin), 2)
    return Site(region.display, region.code, region.province, page, text, confidence)


STRONG_HOST_CUE = re.compile(
    r"\b(?:ke|mengunjungi|kunjungi|menuju|lokus|locus)\s+(?:(?:pemerintah|kantor)\s+)?$", re.I
)


def other_hosts(ctx: DocContext, site: Site | None) -> tuple[Region, ...]:
    """Further kabupaten/kota the visit went to: named right after "ke", "mengunjungi", "lokus"."""
    found: dict[str, Region] = {}
    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        for mention in mentions:
            regions = [r for r in mention.candidates if r.level in ("kabupaten", "kota")]
            before = sentence.text[max(0, mention.start - 30) : mention.start]
            if (
                len(regions) == 1
                and STRONG_HOST_CUE.search(before)
                and (not site or regions[0].code != site.code)
            ):
                found[regions[0].code] = regions[0]
    return tuple(found.values())
