"""Host units: the agencies, kecamatan, kelurahan and desa a visit went to, through an alias table.

`data/units.json` maps every name and acronym to one canonical unit ("Dinas Kependudukan dan
Catatan Sipil", "Dispendukcapil" → "Disdukcapil"). A unit qualified by a region other than the
host ("Dinas Perhubungan Kabupaten Lahat") belongs to a visitor, not the host.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extract.facts.context import DocContext
from extract.facts.model import HostUnit
from extract.facts.regions import Region, RegionMention
from extract.facts.text import evidence

# A unit the table does not know, named the way perangkat daerah are: "Dinas Kebersihan, Pertamanan
# dan Pemakaman (DKPP)", "Badan Pelayanan Perijinan Terpadu". Its canonical name is its own name.
_UNIT_HEAD = r"(?:Dinas|Badan|Kantor|Bagian|Biro|UPTD?|Unit|Rumah\s+Sakit|Sekretariat)"
# A word of a unit's name; another unit's head word starts another unit ("…, Dinas Kominfo").
_CAPWORD = (
    r"(?!(?:Dinas|Badan|Kantor|Bagian|Biro|Sekretariat|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\b)"
    r"(?:[A-Z][A-Za-z\-]{2,}|UMKM|SDM|IKM|UKM)"
)
GENERIC_UNIT = re.compile(
    rf"\b(?P<name>{_UNIT_HEAD}(?:(?:\s+|,\s+|\s+dan\s+|\s*&\s*){_CAPWORD}){{1,8}})(?:\s*\((?P<acronym>[A-Za-z0-9\-]{{2,14}})\))?"
)
# Words where a unit's own name stops: a region or government follows.
GENERIC_STOP = re.compile(
    r"\s*,?\s+(?:dan\s+)?(?:Kota|Kabupaten|Kab|Provinsi|Prov|Pemerintah|Pemkot|Pemkab|Pemprov|Setda\w*|"
    r"Sekretariat\s+Daerah|Republik|RI)\b.*$"
)
# National bodies and training agencies are no host's units.
NOT_HOST_UNIT = re.compile(
    r"\b(?:Nasional|Negara|Pusat|Republik|Indonesia|Pemeriksa|Kementerian|Pendidikan\s+dan\s+Pelatihan|"
    r"Diklat|Pengembangan\s+Sumber\s+Daya|Pelatihan|Perangkat\s+Daerah|Berita)\b|"
    r"^Kantor\s+(?:Bupati|Wali\s*kota|Gubernur|Camat|Lurah|Kepala|Desa|Pos)\b"  # offices as venues
)
# "di Ruang Amarta Setda Kota X", "Aula Setda": a room of a unit is where people meet, not a visit to it.
VENUE_BEFORE = re.compile(
    r"\b(?:Ruang|Ruangan|Aula|Gedung|Pendopo|Pendapa|Balai|Rumah|Lobi)(?:\s+[A-Z][\w\-]*){0,3}\s+$"
)
# "9 orang dari Dinas Pendidikan", "peserta yang berasal dari Bagian Umum": the visitors' own units.
VISITORS_UNIT_BEFORE = re.compile(
    r"(?:\b\d+\s+orang\b[^,;.]{0,30}|\b(?:peserta|pejabat|pegawai|ASN)\s+(?:yang\s+)?(?:berasal\s+)?dari\s+)$",
    re.I,
)
BYLINE = re.compile(r"^\s*(?:Oleh|Sumber|Penulis|Editor|Pewarta|Foto|Reporter|Redaktur)\s*:", re.I)
# An award's giver ("… meraih Anugerah X dari Badan Ekonomi Kreatif").
GIVER_BEFORE = re.compile(r"\b(?:dari|oleh)\s+$", re.I)
AWARD_WORDS = re.compile(r"\b(?:penghargaan|anugerah|predikat|opini|piala|trofi|award)\b", re.I)

FUNCTION_WORDS = frozenset(
    re.findall(r"\w+", "sebagai dan yang di ke dari dalam untuk menuju melalui dengan pada atau serta adalah")
)
REGION_WORDS = frozenset({"provinsi", "kota", "kabupaten", "kab", "pemerintah"})
_NAME_WORD = r"[A-Z][A-Za-z'’\-]+"


@dataclass(frozen=True)
class UnitTable:
    canonical_of: dict[str, str]  # lower-cased name or acronym → canonical
    acronyms: re.Pattern[str]
    names: re.Pattern[str]
    areas: re.Pattern[str]
    area_kind: dict[str, str]
    training: frozenset[str]


def _name_pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s,]+", name) if w]
    return r"[\s,]+".join(words)


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    """The alias table, compiled once."""
    raw = json.loads(resources.files("extract.facts.data").joinpath("units.json").read_text("utf-8"))
    canonical_of: dict[str, str] = {}
    acronyms, names = [], []
    for unit in raw["units"]:
        for name in unit["names"]:
            key = " ".join(re.split(r"[\s,]+", name.lower()))
            canonical_of[key] = unit["canonical"]
            is_acronym = " " not in name and any(c.isupper() for c in name[1:])
            (acronyms if is_acronym else names).append(name)
    by_length = lambda items: sorted(items, key=len, reverse=True)  # noqa: E731
    area_kind = {}
    area_names = []
    for kind, prefixes in raw["area_units"].items():
        for prefix in prefixes:
            area_kind[prefix.lower()] = kind
            area_names.append(prefix)
    prefixes = "|".join(re.escape(p) for p in by_length(area_names))
    areas = rf"\b(?P<prefix>(?i:{prefixes}))\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    return UnitTable(
        canonical_of,
        re.compile(rf"\b(?:{'|'.join(re.escape(a) for a in by_length(acronyms))})\b"),
        re.compile(rf"\b(?:{'|'.join(_name_pattern(n) for n in by_length(names))})\b", re.I),
        re.compile(areas),
        area_kind,
        frozenset(raw["training_agencies"]),
    )


def canonical_unit(name: str) -> str | None:
    """The canonical unit of a name or acronym, or None when the table does not know it."""
    table = unit_table()
    key = " ".join(re.split(r"[\s,]+", re.sub(r"\s*\([^)]*\)", "", name).strip().lower()))
    return table.canonical_of.get(key)


@dataclass(frozen=True)
class UnitMention:
    canonical: str
    surface: str
    start: int
    end: int
    area_name: str | None = None  # "Karawaci" for "Kecamatan Karawaci"
    known: bool = True  # False for a unit the alias table does not know (named by its own name)


def find_units(text: str) -> list[UnitMention]:
    """Unit mentions in a text: table names, acronyms, and areas ("Kecamatan Karawaci")."""
    table = unit_table()
    found: list[UnitMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in (table.names, table.acronyms):
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            if any(0 <= match.start() - b <= 2 and text[b : match.start()].strip() == "(" for _, b in taken):
                continue  # "Dinas X (DX)": the acronym repeats the name just found
            canonical = canonical_unit(match.group(0))
            if canonical:
                found.append(UnitMention(canonical, match.group(0), match.start(), match.end()))
                taken.append(match.span())
    for match in table.areas.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        kind = table.area_kind[match.group("prefix").lower()]
        if match.group("name").split()[0].lower() in FUNCTION_WORDS | REGION_WORDS:
            continue  # "Membangun Desa Sebagai Pusat …", "Dinas … dan Desa Provinsi X"
        area = re.split(r"\s+(?:Kota|Kabupaten|Kab\.?|Provinsi|dan|yang|di)\b", match.group("name"))[0]
        found.append(UnitMention(kind, f"{kind} {area}", match.start(), match.end(), area))
        taken.append(match.span())
    for match in GENERIC_UNIT.finditer(text):
        name = GENERIC_STOP.sub("", match.group("name"))
        end = match.start() + len(name)
        if match.group("acronym") and name == match.group("name"):
            end = match.end()
        inside = [a for a, b in taken if match.start() < a < end]
        if inside:  # "Dinas X dan Kecamatan Y": the unit ends where a known one starts
            end = min(inside)
            name = re.sub(r"(?:[\s,]+|\s+(?:dan|serta))+$", "", text[match.start() : end])
            end = match.start() + len(name)
        if any(a < end and match.start() < b for a, b in taken) or len(name.split()) < 2:
            continue
        name = " ".join(name.replace(" ,", ",").split())
        found.append(UnitMention(name, name, match.start(), end, known=False))
        taken.append((match.start(), end))
    return sorted(found, key=lambda u: u.start)


def _qualifier(text: str, unit: UnitMention, mentions: list[RegionMention]) -> RegionMention | None:
    """The region written right after a unit ("Bappeda Kota Tangerang", "DPMPTSP (…) Kota Bogor")."""
    for mention in mentions:
        gap = text[unit.end : mention.start]
        if 0 <= mention.start - unit.end <= 40 and re.fullmatch(r"\s*(?:\([^)]*\))?\s*,?\s*", gap):
            return mention
    return None


ROLE_BEFORE = re.compile(
    r"\b(?:Kepala|Sekretaris|Kabid|Kabag|Kasubag|Kasubbag|Kasi|Kadis|Kaban|Plt\.?|mantan|Asisten|Staf+\s+Ahli)"
    r"\s+(?:(?:[A-Z][\w.]*|dan)\s+){0,6}$",
    re.I,
)


def is_role_part(text: str, unit: UnitMention) -> bool:
    """Is the unit part of a person's role ("Kepala BKPSDM …"), i.e. a workplace, not a visited unit?"""
    return bool(ROLE_BEFORE.search(text[: unit.start]))


def area_code_of(ctx: DocContext, unit: UnitMention, within: str | None) -> str | None | bool:
    """The code of a kecamatan, kelurahan or desa named in a unit; False when no such place exists
    in the host region (or, without a host, anywhere); None when the gazetteer cannot say."""
    name = unit.area_name or ""
    if unit.canonical == "Kecamatan":
        found = ctx.gazetteer.kecamatan_in(name, within)
        if found:
            return found.code
        return None if ctx.gazetteer.lookup(name, "kecamatan") else False
    if unit.canonical in ("Desa", "Kelurahan"):
        return ctx.gazetteer.village_in(name, within) or False
    return None


def extract_host_units(ctx: DocContext, host: Region | None, also: tuple[Region, ...] = ()) -> list[HostUnit]:
    """Units of the host region(s) named in the document, once each.

    `also` are further regions the visit went to. A unit written with another region belongs to
    that region's visitors; so does the same name written alone elsewhere in the document.
    """
    table = unit_table()
    hosts = {r.code: r for r in (host, *also) if r is not None}
    found = []
    visitor_surfaces: set[str] = set()
    for sentence, mentions in zip(ctx.sentences, ctx.mentions, strict=True):
        if BYLINE.match(sentence.text):
            continue
        for unit in find_units(sentence.text):
            before = sentence.text[: unit.start]
            if VISITORS_UNIT_BEFORE.search(before) or VENUE_BEFORE.search(before):
                continue
            if not unit.known and (
                NOT_HOST_UNIT.search(unit.canonical)
                or (GIVER_BEFORE.search(before) and AWARD_WORDS.search(sentence.text))
            ):
                continue
            qualifier = _qualifier(sentence.text, unit, mentions)
            regions = [r for r in qualifier.candidates if r.level != "kecamatan"] if qualifier else []
            region = next((hosts[r.code] for r in regions if r.code in hosts), None)
            if regions and region is None:
                visitor_surfaces.add(unit.surface.lower())
                continue
            found.append((sentence, unit, region))
    surfaces = [u.surface.lower() for _, u, _ in found]
    units: dict[tuple[str, str | None], HostUnit] = {}
    for sentence, unit, region in found:
        if region is None and unit.surface.lower() in visitor_surfaces:
            continue
        shorter = unit.surface.lower()
        if not unit.known and any(s != shorter and s.startswith(shorter) for s in surfaces):
            continue  # "Dinas Koperasi" cut short where "Dinas Koperasi, UMKM …" is named in full
        if unit.canonical in table.training and region is None:
            continue
        if is_role_part(sentence.text, unit) and not unit.area_name:
            continue
        place = region or host
        region_code = place.code if place else None
        if unit.area_name:
            area_code = area_code_of(ctx, unit, region_code)
            if area_code is False:
                continue  # "Desa Wisata", "Kecamatan Digital": no such place
            name = f"{unit.canonical} {unit.area_name}"
            key = (name.lower(), region_code)
            region_code = area_code or region_code
        else:
            name = unit.canonical + (f" {region.display}" if region else "")
            key = (unit.canonical, region_code)
        earlier = units.get(key)
        if earlier is not None and (earlier.name != earlier.canonical or region is None):
            continue
        units[key] = HostUnit(
            name, unit.canonical, unit.surface, place.display if place else None, region_code,
            sentence.page, evidence(sentence.text), 0.8 if (region or unit.area_name) else 0.6,
        )  # fmt: skip
    return list(units.values())
