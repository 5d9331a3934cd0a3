"""How many took part, and where they came from ("Kabupaten Buru 15 orang", "berasal dari ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.facts.context import DocContext
from extract.facts.model import ParticipantOrigin
from extract.facts.numbers import to_int
from extract.facts.programs import find_programs
from extract.facts.regions import Region, RegionMention
from extract.facts.text import evidence

_N = r"(?P<n>\d{1,3}(?:\.\d{3})*|\d+)"
_PEOPLE = r"(?:orang\s+)?(?:peserta|pejabat|ASN|PNS|aparatur|pegawai|camat|lurah|kepala\s+desa)"
# Participant totals, strongest first: (pattern, confidence).
# Participant totals, strongest kind first: (pattern, confidence).
QUANTIFIED = re.compile(
    rf"\b(?:sebanyak|sejumlah|total(?:\s+terdapat)?|berjumlah|diikuti(?:\s+oleh)?"
    rf"(?:\s+(?:sekitar|sebanyak|kurang\s+lebih))?|sekitar)\s+{_N}\s+{_PEOPLE}\b",
    re.I,
)
PARTICIPANTS_NUMBERED = re.compile(
    rf"\b(?:peserta|mereka)\b[^.;]{{0,60}}?\b(?:sebanyak|berjumlah|sejumlah|ada|adalah|yaitu|:)\s*{_N}\s+orang\b",
    re.I,
)
NUMBER_OF_PARTICIPANTS = re.compile(rf"(?<![\d.,/])\b{_N}\s+{_PEOPLE}\b", re.I)
PARTY_SIZE = re.compile(
    rf"\brombongan\b[^.;]{{0,40}}?\b(?:berjumlah|sebanyak|sejumlah)\s+{_N}\s+(?:orang|personil|persenonil|personel)\b",
    re.I,
)
TOTAL_PATTERNS = (
    (QUANTIFIED, 0.9),
    (PARTICIPANTS_NUMBERED, 0.9),
    (NUMBER_OF_PARTICIPANTS, 0.8),
    (PARTY_SIZE, 0.6),
)
COUNT_AFTER_REGION = re.compile(
    r"^\s*(?:[:,(]\s*)?(?:sebanyak\s+)?(?P<n>\d{1,4})\s+(?:orang|peserta)\b", re.I
)
PROGRAM_TO_REGION = re.compile(r"[\s,]*(?:Angkatan\s+\S+\s*)?(?:(?:dari|asal)\s+)?", re.I)
ORIGIN_CUE = re.compile(
    r"\b(?:berasal\s+dari|asal|(?:ada\s+)?(?:yang\s+)?dari|terdiri\s+(?:atas|dari))\b", re.I
)


@dataclass(frozen=True)
class Count:
    value: int
    page: int
    evidence: str
    confidence: float


def participant_count(ctx: DocContext) -> Count | None:
    """The number of participants: the strongest kind of statement, the largest number of that kind.

    Participants ("40 peserta") outrank a party's size ("rombongan berjumlah 40 orang"), which may
    include companions; among equals the largest is the total (the others are its parts).
    """
    texts = [(ctx.sentences[0].page if ctx.sentences else 1, ctx.title)]
    texts += [(s.page, s.text) for s in ctx.sentences]
    for pattern, confidence in TOTAL_PATTERNS:
        found: list[Count] = []
        for page, text in texts:
            for match in pattern.finditer(text):
                value = to_int(match.group("n"))
                if value and 2 <= value <= 5000:
                    found.append(Count(value, page, evidence(text), confidence))
        if found:
            return max(found, key=lambda c: c.value)
    return None


def _origin_name(mention: RegionMention) -> tuple[str, str | None]:
    regions = [r for r in mention.candidates if r.level != "kecamatan"]
    if len(regions) == 1:
        return regions[0].display, regions[0].code
    return mention.surface, None


def _drop_containers(origins: list[ParticipantOrigin], regions: dict[str, Region]) -> list[ParticipantOrigin]:
    """A province listed with kabupaten/kota inside it is their container, not another origin."""
    codes = {o.region_code for o in origins if o.region_code}
    kept = []
    for origin in origins:
        region = regions.get(origin.region_code or "")
        is_container = (
            region is not None and region.level == "provinsi" and origin.participants is None
            and any(c.startswith(region.code + ".") for c in codes)
        )  # fmt: skip
        if not is_container:
            kept.append(origin)
    return kept


def participant_origins(ctx: DocContext, host_code: str | None) -> list[ParticipantOrigin]:
    """Origins with their counts ("Kota Ambon 4 orang"), or listed after "berasal dari"."""
    origins: list[ParticipantOrigin] = []
    seen: set[str] = set()

    def add(mention: RegionMention, count: int | None, page: int, text: str, confidence: float) -> None:
        name, code = _origin_name(mention)
        if host_code and any(r.code == host_code for r in mention.candidates):
            return
        key = code or name.lower()
        if key in seen:
            earlier = next(i for i, o in enumerate(origins) if (o.region_code or o.origin.lower()) == key)
            if origins[earlier].participants is None and count is not None:
                origins[earlier] = ParticipantOrigin(name, code, count, page, evidence(text), confidence)
            return
        seen.add(key)
        origins.append(ParticipantOrigin(name, code, count, page, evidence(text), confidence))

    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        text = sentence.text
        counted = [(m, COUNT_AFTER_REGION.match(text[m.end :])) for m in mentions]
        if sum(1 for _, c in counted if c) >= 2:
            for mention, count in counted:
                if count:
                    add(mention, int(count.group("n")), sentence.page, text, 0.9)
            continue
        cue = ORIGIN_CUE.search(text)
        if cue and re.search(r"\bpeserta|\brombongan|\bmereka|\bpara\b|\bada\b|\bkabupaten\b", text, re.I):
            listed = [m for m in mentions if m.start >= cue.end()]
            if listed and len(listed) >= 2 or (listed and listed[0].start - cue.end() < 4):
                for mention in listed:
                    add(mention, None, sentence.page, text, 0.7)
                continue
        for program in find_programs(text):
            after = [m for m in mentions if m.start >= program.end and
                     PROGRAM_TO_REGION.fullmatch(text[program.end : m.start])]  # fmt: skip
            if after and re.search(r"\b(?:peserta|rombongan)\b", text[: program.start], re.I):
                number = re.search(rf"{_N}\s+peserta\b[^.]*$", text[: program.start], re.I)
                add(after[0], to_int(number.group("n")) if number else None, sentence.page, text, 0.7)
    return _drop_containers(origins, ctx.gazetteer.by_code)
