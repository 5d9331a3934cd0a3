"""Practices and innovations of the host: "Sipraja (Sistem Pelayanan Rakyat Sidoarjo)",
"Semedi, artinya Sehari Mesti Jadi", "aplikasi Tangerang LIVE", "program Smart Kampung".

An acronym counts as a practice when its expansion names a system, programme, service or unit
of service, not an agency (those are host units) or a ministry.
"""

from __future__ import annotations

import re

from extract.facts.context import DocContext
from extract.facts.model import Practice, Site
from extract.facts.text import evidence
from extract.facts.units import canonical_unit, find_units

_CAP = r"[A-Z][\w\-’']*"
LONG_THEN_ACRONYM = re.compile(
    rf"(?P<long>{_CAP}(?:\s+(?:{_CAP}|dan|di|untuk|ke|-))+)\s*\((?P<short>[A-Za-z][\w\-]{{1,14}})\)"
)
ACRONYM_THEN_LONG = re.compile(
    rf"\b(?P<short>[A-Z][\w\-]{{1,14}})\s*\((?P<long>{_CAP}(?:\s+(?:{_CAP}|dan|di|untuk|ke))+)\)"
)
MEANS = re.compile(
    rf"\b(?P<short>[A-Z][\w\-]{{2,14}}),?\s+(?:artinya|singkatan\s+dari|kependekan\s+dari|yaitu)\s+"
    rf"(?P<long>{_CAP}(?:\s+{_CAP}){{1,6}})"
)
# "aplikasi Tangerang LIVE", "program Smart Kampung": the trigger in any case, the name capitalised.
NAMED = re.compile(
    rf"\b(?i:aplikasi|program|inovasi|layanan|gerakan|sistem)\s+"
    rf"(?P<name>(?:{_CAP}|[eE]-[A-Za-z]\w*)(?:\s+(?:{_CAP}|[A-Z]{{2,}})){{0,3}})"
)
PRACTICE_WORDS = re.compile(
    r"\b(?:sistem|system|program|aplikasi|layanan|pelayanan|gerakan|unit|mitra|budgeting|inovasi|"
    r"jaminan|kampung|desa|smart|e-|online|terpadu|mesti|jadi|budaya|forum|klinik|rumah|posyandu|mal)\b",
    re.I,
)
NOT_PRACTICE = re.compile(
    r"^(?:Kementerian|Kemen|Badan|Dinas|Pusat|Lembaga|Dewan|Pemerintah|Komisi|Kantor|Sekretari|Satuan|"
    r"Organisasi|Perangkat|Aparatur|Pendidikan|Pelatihan|Provinsi|Kabupaten|Kota|Pusdiklat|Inspektorat|"
    r"Indeks|Standar|Satu|Anggaran)",
    re.I,
)
GENERIC_NAMES = frozenset(
    re.findall(
        r"\w+", "ini tersebut itu unggulan kerja prioritas pemerintah daerah baru pelayanan publik kami"
    )
)


def _initials_fit(short: str, long: str) -> bool:
    """Do the acronym's letters appear, in order, among the long form's letters (starting with
    its first letter)?"""
    letters = re.sub(r"[^a-z]", "", short.lower())
    words = re.sub(r"[^a-z ]", " ", long.lower()).split()
    if not letters or not words or letters[0] != words[0][0]:
        return False
    text = "".join(words)
    pos = 0
    for letter in letters:
        pos = text.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _is_practice(short: str, long: str) -> bool:
    if NOT_PRACTICE.match(long) or canonical_unit(long) or canonical_unit(short):
        return False
    return bool(PRACTICE_WORDS.search(long)) and _initials_fit(short, long)


def extract_practices(ctx: DocContext, site: Site | None) -> list[Practice]:
    """Named practices, once each, with the sentence that describes them as the summary."""
    practices: list[Practice] = []
    seen: set[str] = set()

    def add(name: str, expansion: str | None, text: str, page: int, confidence: float) -> None:
        key = re.sub(r"\W", "", name.lower())
        if not key or key in seen or name.lower() in GENERIC_NAMES:
            return
        if expansion and re.sub(r"\W", "", expansion.lower()) in seen:
            return
        seen.add(key)
        if expansion:
            seen.add(re.sub(r"\W", "", expansion.lower()))
        units = find_units(text)
        practices.append(Practice(
            name, expansion, site.region if site else None, units[0].canonical if units else None,
            evidence(text), page, evidence(text), confidence,
        ))  # fmt: skip

    for sentence in ctx.sentences:
        text = sentence.text
        for pattern in (LONG_THEN_ACRONYM, ACRONYM_THEN_LONG, MEANS):
            for match in pattern.finditer(text):
                short, long = match.group("short"), " ".join(match.group("long").split())
                if _is_practice(short, long):
                    add(short, long, text, sentence.page, 0.8)
        for match in NAMED.finditer(text):
            name = match.group("name").strip()
            first = name.split()[0].lower()
            if first in GENERIC_NAMES or NOT_PRACTICE.match(name) or canonical_unit(name):
                continue
            if ctx.gazetteer.lookup(name):
                continue
            add(name, None, text, sentence.page, 0.6)
    return practices
