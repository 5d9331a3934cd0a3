"""Practices and innovations of the host: "Sipraja (Sistem Pelayanan Rakyat Sidoarjo)",
"Semedi, artinya Sehari Mesti Jadi", "aplikasi Tangerang LIVE dan SIMASN", 'program "Desa
Berkemajuan"', "inovasi bernama LAPAK RAKYAT (Layanan Pasar Kreatif Rakyat)", "Smart Kampung
merupakan program …", and the items of "12 program unggulan, yakni A, B (C) dan D".

Each practice comes with its acronym's expansion when the text gives one, the host unit named
nearest to it, and a short description: the sentence that says what it is ("X adalah …",
"X merupakan …", "… yang memungkinkan …"), else the sentence that names it.

An acronym counts as a practice when its expansion names a system, programme or service, or when
an innovation word introduces it ("aplikasi Cepat Respon Masyarakat (CRM)"); agencies (those are
host units), contests and awards, ministries and training programmes never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.facts.awards import canonical_award
from extract.facts.context import DocContext
from extract.facts.model import Practice, Site
from extract.facts.text import Sentence, evidence
from extract.facts.units import UnitMention, find_units, unit_table

_CAP = r"[A-Z][\w\-’']*"
_ACRONYM = r"[A-Z][A-Za-z0-9\-]{1,14}"
_CAPS = r"[A-Z][A-Z0-9\-]{1,14}"
# "LAPAK RAKYAT", "SI-PENTOL", "Sipraja", "siskeudes": a short name, up to three all-capital words.
SHORT = (
    rf"(?:{_CAPS}(?:\s+{_CAPS}){{0,2}}\s+(?:Online|Digital|Mobile)|{_CAPS}(?:\s+{_CAPS}){{1,2}}|{_ACRONYM}|"
    r"[a-z][a-z0-9\-]{3,14})"
)
# Long forms: capitalised words, or lower-case words after a practice word ("sistem pertanian …").
_LONG_CAP = rf"{_CAP}(?:\s+(?:{_CAP}|dan|di|untuk|ke|-))+"
_LONG_LOWER = r"(?i:sistem|gerakan|program|layanan|aplikasi|jaminan)(?:\s+[a-z][\w\-]*){1,6}"
LONG_THEN_ACRONYM = re.compile(rf"(?P<long>{_LONG_CAP}|{_LONG_LOWER})\s*\((?P<short>{SHORT})\)")
ACRONYM_THEN_LONG = re.compile(
    rf"\b(?P<short>{SHORT})\s*\((?P<long>{_CAP}(?:\s+(?:{_CAP}|dan|di|untuk|ke))+)\)"
)
MEANS = re.compile(
    rf"\b(?P<short>[A-Z][\w\-]{{2,14}}),?\s+(?:artinya|singkatan\s+dari|kependekan\s+dari|yaitu)\s+"
    rf"(?P<long>{_CAP}(?:\s+{_CAP}){{1,6}})"
)
TRIGGER = r"(?i:aplikasi|program|inovasi|layanan|gerakan|sistem|platform|kebijakan)"
# What may stand between the trigger and the name: a naming phrase or a few lower-case words
# ("inovasi bernama X", "sistem pajak daring Badung Smart Tax").
NAMING = (
    r"(?:\s+(?i:yang\s+)?(?i:bernama|berjudul|bertajuk|bertema|berlabel|(?:di)?(?:beri|kenal|sebut)\s+"
    r"(?:nama|dengan)|dinamakan|disebut|dikenal\s+dengan))?"
)
_NAME = rf"(?:{_CAP}|{_CAPS}|[eE]-[A-Za-z]\w*)(?:\s+(?:{_CAP}|{_CAPS}|[eE]-[A-Za-z]\w*|LIVE)){{0,3}}"
# Lower-case words between the trigger and the name qualify it ("sistem pajak daring X"); words that
# point elsewhere ("inovasi yang dimiliki Pemkot X", "program ini …", "layanan di Dinas X") do not.
_BETWEEN = (
    r"(?:\s+(?!(?:di|ke|dari|pada|untuk|dengan|oleh|dan|yang|bagi|kepada|ini|itu|tersebut|baru|milik)\b)"
    r"[a-z][a-z\-]+)"
)
NAMED = re.compile(
    rf"\b{TRIGGER}{NAMING}{_BETWEEN}{{0,3}}?\s+(?P<name>{_NAME})"
    rf"(?:\s+(?:dan|serta|,)\s+(?P<also>{_NAME}))?"
)
QUOTED = re.compile(rf"\b{TRIGGER}{NAMING}{_BETWEEN}{{0,2}}?\s+[“\"'‘](?P<name>[^”\"'’]{{3,60}})[”\"'’]")
# "Smart Kampung merupakan program …", "Semedi adalah layanan …": a name defined as a practice.
DEFINED = re.compile(
    rf"(?:^|,\s+)(?:\(\s*[^)]*\)\s*)?(?P<name>{_NAME})\s+(?:merupakan|adalah|ialah|yaitu)\s+"
    r"(?:(?:sebuah|salah\s+satu|suatu)\s+)?(?P<kind>program|inovasi|aplikasi|layanan|sistem|gerakan|kebijakan|"
    r"platform)\b"
)
LIST_NOT_ITEMS = re.compile(r"^(?:ini|itu|tersebut|yang)\b|\b(?:merupakan|adalah)\b", re.I)
# "ada 12 program unggulan Bali Mandara, yakni A, B (C), D dan E".
LIST_CUE = re.compile(
    r"\b(?:\d+\s+|beberapa\s+|sejumlah\s+)?(?:program|inovasi|layanan|aplikasi)(?:-(?:program|inovasi))?"
    r"(?:\s+unggulan|\s+prioritas|\s+andalan)?(?:\s+[A-Z][\w\-]*){0,3},?\s+(?:yakni|yaitu|antara\s+lain|"
    r"di\s+antaranya|diantaranya|meliputi|seperti)\s+(?P<items>.+)$"
)
# A sentence that speaks of an innovation: an expansion there needs no practice word of its own.
INNOVATION_CUE = re.compile(
    r"\b(?:inovasi|aplikasi|program|layanan|penerapan|menerapkan|diterapkan|meluncurkan|diluncurkan|"
    r"mengembangkan|dikembangkan|membentuk|dibentuk|terobosan|gerakan)\b",
    re.I,
)
PRACTICE_WORDS = re.compile(
    r"\b(?:sistem|system|program|aplikasi|layanan|pelayanan|gerakan|unit|mitra|budgeting|inovasi|"
    r"jaminan|kampung|desa|smart|e-|online|daring|terpadu|mesti|jadi|budaya|forum|klinik|rumah|posyandu|mal|"
    r"elektronik)\b",
    re.I,
)
NOT_PRACTICE = re.compile(
    r"^(?:Kementerian|Kemen|Badan|Dinas|Pusat|Lembaga|Dewan|Pemerintah|Komisi|Kantor|Sekretari|Satuan|"
    r"Organisasi|Perangkat|Aparatur|Pendidikan\s+dan\s+Pelatihan|Pelatihan|Diklat|Provinsi|Kabupaten|Kota|"
    r"Pusdiklat|Inspektorat|Indeks|Standar|Satu|Anggaran|Kompetisi|Lomba|Penghargaan|Anugerah|Wajar|"
    r"Pendapatan|Usaha|Pegawai|Sumber|Rencana|Peraturan|Undang|Bagian|Bidang|Kepala|Bupati|Wali|Gubernur|"
    r"Sekolah|Rumah\s+Sakit|Puskesmas|Perusahaan|Aparat|Kecamatan|Kelurahan|Pemkab|Pemkot|Pemprov|Pempot|"
    r"Wakil|Sekda|Camat|Lurah|Teknologi|Rp\b)",
    re.I,
)
# Names that are no name ("program ini", "layanan publik"), or words that only qualify one.
GENERIC_NAMES = frozenset(
    re.findall(
        r"\w+",
        "ini tersebut itu unggulan kerja prioritas pemerintah daerah baru pelayanan publik kami kita "
        "sma smk smp sd tk asn pns opd skpd umkm ukm the and of",
    )
)
# Words after which a name stops: a region or government ("APLIKASI E KINERJA Kabupaten Klungkung").
NAME_STOP = re.compile(
    r"(?<!Wali)\s+(?:Kabupaten|Kota|Provinsi|Kab|Pemkab|Pemkot|Pemprov|Pemerintah|Dinas|Badan|Kecamatan|Desa|Kelurahan)"
    r"\b.*$"
)
DESCRIBES = re.compile(
    r"\b(?:adalah|merupakan|ialah|yaitu|yakni|berupa|memungkinkan|bertujuan|untuk\s+\w+|yang\s+\w+kan)\b",
    re.I,
)
MAX_SUMMARY_CHARS = 300
MAX_LIST_ITEM_WORDS = 7


@dataclass
class Found:
    """A practice as first found: its name, expansion, sentence and where in it."""

    name: str
    expansion: str | None
    sentence: Sentence
    start: int
    confidence: float


MIN_LETTERS_FIT = 0.75


def _initials_fit(short: str, long: str) -> bool:
    """Does the acronym start with the long form's first letter, and do most of its letters (three
    in four: "Sipraja" for "Sistem Pelayanan Rakyat Sidoarjo") appear in order among the long
    form's letters?"""
    letters = re.sub(r"[^a-z]", "", short.lower())
    words = re.sub(r"[^a-z ]", " ", long.lower()).split()
    if not letters or not words or letters[0] != words[0][0]:
        return False
    text = "".join(words)
    pos = 0
    fitted = 0
    for letter in letters:
        found = text.find(letter, pos)
        if found >= 0:
            fitted += 1
            pos = found + 1
    return fitted >= len(letters) * MIN_LETTERS_FIT


def _not_a_practice(name: str) -> bool:
    """An agency, contest, award, ministry or generic word rather than a practice's name."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    words = re.findall(r"\w+", plain.lower())
    if not words or all(w in GENERIC_NAMES for w in words):
        return True
    return bool(NOT_PRACTICE.match(plain) or canonical_award(plain))


def _acronym_practice(short: str, long: str, sentence: str, start: int) -> bool:
    if _not_a_practice(long) or _not_a_practice(short) or not _initials_fit(short, long):
        return False
    if PRACTICE_WORDS.search(long):
        return True
    introduced = re.search(rf"{TRIGGER}(?:\s+[a-z]+){{0,2}}\s*$", sentence[max(0, start - 40) : start])
    return bool(introduced) or bool(INNOVATION_CUE.search(sentence))


def _headline(text: str) -> bool:
    """A title or a link in title case ("Melalui Aplikasi Pusaka, Kini Daftar Nikah Makin Mudah")."""
    words = re.findall(r"[A-Za-z][\w\-]*", text)
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and capitalised / len(words) >= 0.7


def _clean_name(name: str) -> str:
    name = NAME_STOP.sub("", " ".join(name.split())).strip(" ,.;:-–")
    return name


def acronym_practices(sentence: Sentence) -> tuple[list[Found], list[tuple[int, int]]]:
    """Acronyms with their expansions in a sentence, and the spans they cover."""
    found: list[Found] = []
    spans: list[tuple[int, int]] = []
    text = sentence.text
    for pattern in (LONG_THEN_ACRONYM, ACRONYM_THEN_LONG, MEANS):
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in spans):
                continue
            short, long = match.group("short").strip(), " ".join(match.group("long").split())
            long = re.sub(r"^(?:aplikasi|program|inovasi|layanan|gerakan)\s+(?=[A-Z])", "", long)
            if _acronym_practice(short, long, text, match.start()):
                found.append(Found(short, long, sentence, match.start(), 0.8))
                spans.append(match.span())
            elif pattern is ACRONYM_THEN_LONG and not _not_a_practice(short) and _named_before(text, match):
                # "aplikasi SAMBAT Online (Sistem Aplikasi Masyarakat Bertanya)", "Tuku Lokal (Gerakan …)"
                found.append(Found(short, long, sentence, match.start(), 0.7))
                spans.append(match.span())
    return found, spans


def _named_before(text: str, match: re.Match[str]) -> bool:
    return bool(re.search(rf"{TRIGGER}{NAMING}\s*$", text[max(0, match.start() - 40) : match.start()]))


def named_practices(sentence: Sentence, taken: list[tuple[int, int]]) -> list[Found]:
    """Names an innovation word introduces: quoted, capitalised, or joined by "dan"."""
    text = sentence.text
    found: list[Found] = []
    for match in QUOTED.finditer(text):
        name = _clean_name(match.group("name"))
        if not _not_a_practice(name):
            expansion, end = _parenthesised_after(text, match.end())
            found.append(Found(name, expansion, sentence, match.start("name"), 0.75))
            taken.append((match.start(), end))
    if _headline(text):
        return found
    for match in NAMED.finditer(text):
        for group in ("name", "also"):
            if not match.group(group):
                continue
            start, end = match.span(group)
            if any(a < end and start < b for a, b in taken):
                continue
            name = _clean_name(match.group(group))
            if _not_a_practice(name) or (len(name) <= 3 and name.isupper()):
                continue
            expansion, end = _parenthesised_after(text, end)
            found.append(Found(name, expansion, sentence, start, 0.6))
            taken.append((start, end))
    defined = DEFINED.match(text)
    if defined and not any(a < defined.end("name") and defined.start("name") < b for a, b in taken):
        name = _clean_name(defined.group("name"))
        if not _not_a_practice(name):
            found.append(Found(name, None, sentence, defined.start("name"), 0.6))
    return found


def _parenthesised_after(text: str, end: int) -> tuple[str | None, int]:
    """ "Gerbang Sehati (Gerakan Bersama …)": a name's explanation in parentheses right after it,
    and where the parentheses end (`end` when there are none)."""
    match = re.match(r"\s*\((?P<long>[^()]{3,120})\)", text[end:])
    return (" ".join(match.group("long").split()), end + match.end()) if match else (None, end)


def listed_practices(sentence: Sentence) -> list[Found]:
    """The items of "12 program unggulan, yakni A, B (C), D dan E", each a practice."""
    cue = LIST_CUE.search(sentence.text)
    if not cue:
        return []
    items_text = re.split(r"[.;](?:\s|$)", cue.group("items"))[0]
    if LIST_NOT_ITEMS.search(items_text.split(",")[0]):
        return []
    items = re.split(r",\s*|\s+dan\s+(?=[^,]*$)", items_text)
    found = []
    for item in items:
        item = re.sub(r"^(?:dan|serta)\s+", "", item.strip(" ."))
        item = re.sub(rf"^{TRIGGER}\s+(?=[A-Z])", "", item)  # "aplikasi Pekalongan Satu Data"
        name, _, description = item.partition(" atau ")  # "sarbagita atau penggunaan transportasi masal"
        expansion = _parenthesised_after(name, len(name.split("(")[0].rstrip()))[0]
        name = re.sub(r"\s*\([^)]*\)", "", name).strip()
        if expansion and _initials_fit(expansion, name):  # "sistem pertanian terintegrasi (Simantri)"
            name, expansion = expansion, name
        if not name or len(name.split()) > MAX_LIST_ITEM_WORDS or _not_a_practice(name):
            continue
        found.append(Found(name, expansion or (description.strip() or None), sentence,
                           sentence.text.find(name), 0.5))  # fmt: skip
    return found


def _key(name: str) -> str:
    return re.sub(r"\W", "", name.lower())


def _summary(ctx: DocContext, found: Found) -> str:
    """A short description: a sentence that says what the practice is, else the one naming it."""
    pattern = re.compile(rf"(?<!\w){re.escape(found.name)}(?!\w)", re.I)
    for sentence in ctx.sentences[found.sentence.index : found.sentence.index + 4]:
        match = pattern.search(sentence.text)
        if match and DESCRIBES.search(sentence.text[match.end() : match.end() + 80]):
            return evidence(sentence.text)[:MAX_SUMMARY_CHARS]
    return evidence(found.sentence.text)[:MAX_SUMMARY_CHARS]


def _host_unit(ctx: DocContext, found: Found, site: Site | None) -> str | None:
    """The unit named nearest to the practice in its sentence; not a training agency, nor a unit
    of another region than the host ("Kepala BKPP Sleman" speaking of Kulon Progo)."""
    text = found.sentence.text
    training = unit_table().training
    mentions = ctx.mentions[found.sentence.index]

    def visitors(unit: UnitMention) -> bool:
        after = next((m for m in mentions if 0 <= m.start - unit.end <= 3), None)
        return bool(after and site and all(r.code != site.code for r in after.candidates))

    end = found.start + len(found.name)
    units = [
        u for u in find_units(text)
        if u.canonical not in training and not visitors(u) and not (u.start < end and found.start < u.end)
    ]  # fmt: skip
    if not units:
        return None
    return min(units, key=lambda u: abs(u.start - found.start)).canonical


def extract_practices(ctx: DocContext, site: Site | None) -> list[Practice]:
    """Named practices of an Indonesian document, once each (a name that starts another's name is
    the same practice)."""
    if not ctx.indonesian:
        return []
    candidates: list[Found] = []
    for sentence in ctx.sentences:
        acronyms, taken = acronym_practices(sentence)
        candidates += acronyms
        candidates += named_practices(sentence, taken)
        candidates += listed_practices(sentence)
    kept: list[Found] = []
    for found in candidates:
        key = _key(found.name)
        if not key or _is_place(ctx, found.name) or _inside_unit(found):
            continue
        same = next((k for k in kept if _same_practice(k, found)), None)
        if same is None:
            kept.append(found)
        elif same.expansion is None and found.expansion and _key(same.name) == key:
            same.expansion = found.expansion
    return [
        Practice(
            f.name, f.expansion, site.region if site else None, _host_unit(ctx, f, site), _summary(ctx, f),
            f.sentence.page, evidence(f.sentence.text), f.confidence,
        )
        for f in kept
    ]  # fmt: skip


def _is_place(ctx: DocContext, name: str) -> bool:
    """Is the name only region names ("Banyuwangi", "Denpasar-Bali")?"""
    letters = re.sub(r"[^A-Za-z]", "", name)
    covered = "".join(re.sub(r"[^A-Za-z]", "", m.surface) for m in ctx.gazetteer.find(name))
    return bool(letters) and len(covered) >= len(letters)


def _inside_unit(found: Found) -> bool:
    """Is the name part of an agency's name ("… Dinas Kependudukan dan Pencatatan Sipil")?"""
    end = found.start + len(found.name)
    return any(
        u.area_name is None and u.start <= found.start and end <= u.end and u.surface != found.name
        for u in find_units(found.sentence.text)
    )


def _same_practice(a: Found, b: Found) -> bool:
    """Two mentions of one practice: the same name, a name that starts the other ("Smart Kampung" /
    "Smart Kampung Banyuwangi"), or one's name is the other's expansion."""
    ka, kb = _key(a.name), _key(b.name)
    if ka == kb or (min(len(ka), len(kb)) >= 5 and (ka.startswith(kb) or kb.startswith(ka))):
        return True
    expansions = {_key(x.expansion) for x in (a, b) if x.expansion}
    return ka in expansions or kb in expansions
