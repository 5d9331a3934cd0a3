"""The organiser of a visit: the training agency (BPSDM, Badan Diklat, Pusdiklat, LAN ...) that sent
the participants, named with its region or ministry ("BPSDM Provinsi Maluku").

An agency of the host region is the host, not the organiser. When no training agency is named,
the participants' own government organises ("Pemerintah Kabupaten Tanah Datar").
"""

from __future__ import annotations

import re
from collections import Counter

from extract.facts.agencies import expand_agencies
from extract.facts.context import DocContext
from extract.facts.model import ParticipantOrigin
from extract.facts.regions import Region

AGENCY = re.compile(
    r"\b(?P<head>BPSDMD?|BKPSDMD?|BKDPSDM|BKPSDA|BKPP|BKD|BPPD|Bandiklat|Badiklat|"
    r"(?:Ka)?Pusdiklat(?:\s+(?:Tenaga|Administrasi|Teknis|Manajemen|Kepemimpinan|Aparatur|Pegawai|"
    r"Keagamaan|Fungsional|Kesehatan|dan)(?=\s))*|"
    r"Puslatbang(?:\s+[A-Z]{2,5})?|Lembaga\s+Administrasi\s+Negara(?:\s+RI)?|"
    r"Badan\s+Pengembangan\s+Sumber\s+Daya\s+Manusia(?:\s+Daerah)?|"
    r"Badan\s+(?:Pendidikan\s+dan\s+(?:[Pp]e)?[Ll]atihan|Diklat)(?:\s+Daerah)?|"
    r"Pusat\s+(?:Pendidikan\s+dan\s+(?:[Pp]e)?[Ll]atihan|Diklat|Pelatihan\s+dan\s+Pengembangan)"
    r"(?:\s+(?:[A-Z]\w+|dan|[a-z]+(?=\s+dan\s))){0,4}?|"
    r"Pusat\s+Kajian\s+(?:[A-Z]\w+\s+|dan\s+){1,5}(?:[IVX]+\s+)?|"
    r"Badan\s+Kepegawaian(?:\s+(?:dan\s+)?(?:Pengembangan|Pendidikan|Diklat|Daerah|Sumber|Daya|Manusia|"
    r"Aparatur|SDM|dan|Pelatihan))*)"
    r"(?:\s*\((?P<acronym>[A-Za-z]{2,12})\))?",
)
QUALIFIER = re.compile(
    r"^[\s,]*(?P<q>(?:Kementerian|Kemen)\s*\w+(?:\s+(?:dan\s+)?[A-Z]\w+){0,3}|Kemenag|Kemendagri|"
    r"Kejaksaan(?:\s+(?:Republik\s+Indonesia|RI|Agung))?|Mahkamah\s+Agung(?:\s+RI)?|"
    r"(?:Lembaga\s+Administrasi\s+Negara|LAN)(?:\s*\(LAN\))?(?:\s+RI)?)"
)
NATIONAL = re.compile(
    r"^(?:Puslatbang|Pusat\s+Kajian|Pusat\s+Pendidikan|Pusat\s+Diklat|Lembaga\s+Administrasi|LAN)\b"
)
REGIONAL_PROGRAM = re.compile(r"\s+Regional\s+")
LEADS = re.compile(r"\b(?:dipimpin|pimpinan\s+rombongan|ketua\s+rombongan|peserta|rombongan)\b", re.I)
ACRONYM_OF = {"badan pengembangan sumber daya manusia": "BPSDM"}


# The same agencies written in capitals ("BADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI …").
AGENCY_CAPITALS = re.compile(AGENCY.pattern, re.I)


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _agency_name(match: re.Match[str]) -> str:
    head = " ".join(match.group("head").split())
    if head.lower().startswith("kapusdiklat"):
        head = head[2:]
    if head.isupper() and " " in head:  # a heading in capitals: its agency as a name
        head = head.title().replace(" Dan ", " dan ")
    acronym = match.group("acronym")
    if acronym and acronym.isupper() and len(head.split()) > 1:
        return acronym
    return ACRONYM_OF.get(head.lower(), head)


def organiser_candidates(ctx: DocContext, host: Region | None) -> Counter[str]:
    """Scores of the training agencies named, with their region or ministry when given."""
    scores: Counter[str] = Counter()
    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        text = sentence.text
        for match in (AGENCY_CAPITALS if _capitals(text) else AGENCY).finditer(text):
            name = _agency_name(match)
            after = text[match.end() :]
            region_mention = next((m for m in mentions if 0 <= m.start - match.end() <= 3), None)
            qualifier = QUALIFIER.match(after)
            if region_mention is not None:
                regions = [r for r in region_mention.candidates if r.level != "kecamatan"]
                if not regions:
                    continue
                region = regions[0] if len(regions) == 1 else None
                if host is not None and any(r.code == host.code for r in regions):
                    continue
                if (
                    host is not None
                    and host.level == "provinsi"
                    and any(r.code.startswith(host.code) for r in regions)
                ):
                    continue
                label = f"{name} {region.display if region else region_mention.surface}"
            elif qualifier:  # "BPSDM Kemendagri" and "BPSDM Kementerian Dalam Negeri" are one organiser
                label = f"{name} {expand_agencies(' '.join(qualifier.group('q').split()))}"
            elif NATIONAL.match(name):
                label = name
            else:
                continue
            scores[label] += 2 if LEADS.search(text) else 1
    return scores


def regional_programs(ctx: DocContext, host: Region | None) -> Counter[str]:
    """ "Diklat PIM III Regional Lubuk Linggau": a programme run by a regional office."""
    from extract.facts.programs import find_programs

    scores: Counter[str] = Counter()
    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        for program in find_programs(sentence.text):
            regional = REGIONAL_PROGRAM.match(sentence.text[program.end :])
            if not regional:
                continue
            start = program.end + regional.end()
            mention = next((m for m in mentions if m.start == start), None)
            if mention and not (host and any(r.code == host.code for r in mention.candidates)):
                scores[f"{program.program} Regional {mention.surface}"] += 1
    return scores


def extract_organiser(
    ctx: DocContext, host: Region | None, origins: list[ParticipantOrigin]
) -> tuple[str | None, float]:
    """The organiser's name and a confidence; the single origin government when no agency is named."""
    scores = organiser_candidates(ctx, host)
    if not scores:
        scores = regional_programs(ctx, host)
    if scores:
        label, _ = scores.most_common(1)[0]
        return label, 0.7
    governments = [o for o in origins if o.region_code]
    if len(governments) == 1:
        region = ctx.gazetteer.by_code[governments[0].region_code]
        kind = {"kota": "Kota", "kabupaten": "Kabupaten", "provinsi": "Provinsi"}[region.level]
        return f"Pemerintah {kind} {region.bare}", 0.5
    return None, 0.0
