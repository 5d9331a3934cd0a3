"""Leadership-training programmes and cohorts: "Diklatpim Tingkat III Angkatan XIII" → (Diklatpim III, 13).

"Tingkat III" is the programme level; "Angkatan III" is the cohort. A programme level is read only
right after the programme name (optionally after "Tingkat"/"Tk."), never after "Angkatan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.facts.numbers import roman_to_int, to_int

PROGRAMS = ("Diklatpim II", "Diklatpim III", "Diklatpim IV", "PKN Tingkat II", "PKA", "PKP")

_LEVEL = r"(?P<level>IV|III|II|I|4|3|2|1)\b"
_TINGKAT = r"(?:\s*\(\s*[A-Za-z ]{2,20}\s*\))?\s*(?:Tingkat|Tk\.?|TK\.?|Tkt\.?)?\s*"

# Diklatpim / Diklat PIM / Diklat Kepemimpinan / Pendidikan dan Pelatihan (Diklat) Kepemimpinan|Pimpinan.
DIKLATPIM = re.compile(
    r"\b(?:Diklat\s*-?\s*PIM|PIM(?=\s*(?:Tingkat|Tk\.?)?\s*(?:IV|III|II)\b)|Diklat\s+Kepemimpinan|Diklat\s+Pimpinan|"
    r"Pendidikan\s+dan\s+(?:Pe)?latihan\s+(?:\(\s*Diklat\s*\)\s+)?(?:Kepemimpinan|Pimpinan))"
    + _TINGKAT
    + _LEVEL,
    re.I,
)
PKN = re.compile(
    r"\b(?:PKN|Pelatihan\s+Kepemimpinan\s+Nasional(?:\s*\(\s*PKN\s*\))?)\s*(?:Tingkat|Tk\.?)?\s*"
    r"(?P<level>II|I|2|1)\b",
    re.I,
)
PKA = re.compile(r"\bPKA\b|\bPelatihan\s+Kepemimpinan\s+Adm\w*", re.I)
PKP = re.compile(r"\bPKP\b|\bPelatihan\s+Kepemimpinan\s+Pengawas\b", re.I)

_COHORT_NUMBER = r"(?P<n>\d{1,3}|[IVXLC]{1,7}|[ivxlc]{1,7})\b"
_ANGKATAN = r"(?:Angkatan|Angk\.|Angk\b|Akt\.)"  # "Angkatan XXV", "Angk. II", "Akt. 3"
COHORT = re.compile(rf"\b{_ANGKATAN}\s*(?:ke\s*-?\s*)?{_COHORT_NUMBER}", re.I)
# "Diklatpim IV ke-10", "PKA ke-3": an ordinal right after a programme.
ORDINAL = re.compile(r"^\s*(?:angkatan\s+)?ke\s*-\s*(?P<n>\d{1,3})\b", re.I)
PROGRAM_YEAR = re.compile(
    rf"^[\s,]*(?:{_ANGKATAN}\s*(?:ke\s*-?\s*)?\S+\s+)?(?:Tahun|TA\.?)\s+(?P<y>(?:19|20)\d{{2}})\b", re.I
)


@dataclass(frozen=True)
class ProgramMention:
    """A programme named in a text, with the cohort and year written next to it, if any."""

    program: str
    start: int
    end: int
    cohort: int | None
    year: int | None
    surface: str


@dataclass(frozen=True)
class CohortMention:
    cohort: int
    start: int
    end: int
    surface: str


def _level(text: str) -> int | None:
    return int(text) if text.isdigit() else roman_to_int(text)


def _program_matches(text: str) -> list[tuple[str, re.Match[str]]]:
    found: list[tuple[str, re.Match[str]]] = []
    for match in DIKLATPIM.finditer(text):
        level = _level(match.group("level"))
        if level in (2, 3, 4):
            found.append((f"Diklatpim {'I' * level if level < 4 else 'IV'}", match))
    for match in PKN.finditer(text):
        if _level(match.group("level")) == 2:
            found.append(("PKN Tingkat II", match))
    found += [("PKA", m) for m in PKA.finditer(text)]
    found += [("PKP", m) for m in PKP.finditer(text)]
    return sorted(found, key=lambda f: f[1].start())


def cohort_number(text: str) -> int | None:
    """A cohort number: "XIII" → 13, "51" → 51; None for anything else."""
    value = to_int(text)
    return value if value and 0 < value < 500 else None


def find_cohorts(text: str) -> list[CohortMention]:
    """Every "Angkatan N" (Roman or Arabic, "angkatan ke-10") in a text."""
    found = []
    for match in COHORT.finditer(text):
        number = match.group("n")
        if not number.isdigit() and not (number.isupper() or number.islower()):
            continue
        value = cohort_number(number)
        if value:
            found.append(CohortMention(value, match.start(), match.end(), match.group(0)))
    return found


def find_programs(text: str) -> list[ProgramMention]:
    """Every programme mention, with the cohort and year that directly follow it."""
    mentions = []
    for program, match in _program_matches(text):
        after = text[match.end() : match.end() + 120]
        cohort = None
        cohort_match = re.match(r"^[\s,]*(?:\([^)]{1,40}\)\s*)?", after)
        rest = after[cohort_match.end() :] if cohort_match else after
        followed = COHORT.match(rest)
        if followed:
            cohort = cohort_number(followed.group("n"))
        else:
            ordinal = ORDINAL.match(rest)
            cohort = int(ordinal.group("n")) if ordinal else None
        year_match = PROGRAM_YEAR.match(rest)
        mentions.append(ProgramMention(
            program, match.start(), match.end(), cohort,
            int(year_match.group("y")) if year_match else None, match.group(0),
        ))  # fmt: skip
    return mentions
