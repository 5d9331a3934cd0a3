"""People named with a role: "Kepala BPSDM Sulawesi Barat Hendra Wiratama", "Bupati Sukamaju, Bapak H.A.
Ramli Sadik", "Ibu Sulastriningsih, Widyaiswara Ahli Madya …", "dipimpin oleh Dr. Wiyono".

A role starts with a head word (Kepala, Bupati, Staf Ahli …) and runs over role vocabulary
(`data/role_words.txt`), acronyms and region names; the first capitalised words after it that are
none of those are the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extract.facts.context import DocContext
from extract.facts.model import Person
from extract.facts.regions import RegionMention
from extract.facts.text import evidence
from extract.facts.units import canonical_unit

ROLE_HEAD = re.compile(
    r"\b(?:(?:Plt\.?|Plh\.?|Pj\.?)\s+)?(?:Wakil\s+)?(?:Kepala|Sekretaris(?:\s+Daerah)?|Sekda\w*|Bupati|Wabup|"
    r"Wali\s*kota|Wawali|Gubernur|Wagub|Staf+\s+Ahli|Asisten|Kabid|Kabag|Kasubag|Camat|Lurah|Kades|"
    r"Menteri|Mendagri|Dirjen|Direktur(?:\s+Jenderal)?|Deputi|Ketua|Widyaiswara|Kapusdiklat|Kadis|Kaban|"
    r"Inspektur|Rektor|Coach|Mentor|Penguji|Pembimbing|Narasumber|Fasilitator)\b",
    re.I,
)
LED_BY = re.compile(r"\b(?:dipimpin|diketuai)\s+(?:langsung\s+)?(?:oleh\s+)?", re.I)
HONORIFICS = {"bapak", "ibu", "bpk", "bu", "pak", "sdr", "saudara", "saudari"}
TITLES_BEFORE = {"dr", "drs", "dra", "h", "hj", "ir", "prof", "dt", "datuk", "kh", "ust", "habib"}
DEGREE = re.compile(
    r"^(?:[SM](?:\.[A-Za-z]{1,4}){1,3}|S\.?[EHTP]|M\.?M|M\.?Si|M\.?Pd|M\.?[HT]|MAP|MBA|Ph\.?D|Ak|CA)\.?$"
)
# Places where people are received ("di Pendopo Sabha Swagata Blambangan"): never a person's name.
VENUE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "pendopo pendapa gedung aula ruang ruangan balai bale hotel graha wisma kantor rumah masjid "
        "lapangan taman istana puspem alun gor stadion auditorium hall convention lobi lobby",
    )
)
# Roles of a training event, also common words ("Mentor Worldwide"): the name needs a title or comma.
EVENT_HEADS = re.compile(r"^(?:Coach|Mentor|Penguji|Pembimbing|Narasumber|Fasilitator)$", re.I)
# Days and months follow roles in datelines ("Rumah Jabatan Gubernur, Senin (10/10)"): never names.
CALENDAR_WORDS = frozenset(
    re.findall(
        r"\w+",
        "senin selasa rabu kamis jumat sabtu minggu ahad januari februari maret april mei juni juli "
        "agustus september oktober november desember",
    )
)
# Lower-case words that join a role to the agency after them ("widyaiswara pendamping dari BPSDM …").
ROLE_JOINERS = frozenset({"dari", "pada", "di", "untuk", "bagi"})
MAX_SANDWICH = 4  # capitalised words a role may carry between two role words ("Bidang X Y BPSDM")
RANK_WORDS = frozenset({"utama", "madya", "pratama", "muda", "agung"})  # also parts of names
PARTICLES = {"al", "bin", "binti", "van", "de", "el"}
TOKEN = re.compile(r"\([^()]{0,80}\)|[A-Za-z][\w'’\-]*(?:\.[A-Za-z]+)*\.?|\d+|,|;|\S")
MAX_ROLE_TOKENS = 16
# Heads whose next capitalised words are a place ("Camat Bantimurung"): the name comes after a comma.
PLACE_HEADS = re.compile(r"^(?:camat|lurah|kades|kepala\s+desa)$", re.I)
MAX_NAME_TOKENS = 6


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    text = resources.files("extract.facts.data").joinpath("role_words.txt").read_text("utf-8")
    words = set()
    for line in text.splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Tok]:
    return [Tok(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _plain(token: str) -> str:
    return token.lower().rstrip(".")


def _in_region(tok: Tok, regions: list[RegionMention]) -> bool:
    return any(m.start <= tok.start and tok.end <= m.end for m in regions)


def is_role_token(tok: Tok, regions: list[RegionMention]) -> bool:
    """A token that continues a role: role vocabulary, an acronym, a unit's name, a Roman numeral,
    a region name."""
    word = tok.text
    if word.startswith("("):
        return True
    if _plain(word) in role_words() or _in_region(tok, regions) or canonical_unit(word.rstrip(".")):
        return True
    bare = word.rstrip(".")
    roman = len(bare) >= 2 and re.fullmatch(r"[IVX]+", bare)  # "I" alone starts Balinese names
    return (len(bare) >= 2 and bare.isupper() and "." not in bare) or bool(roman)


def is_name_token(tok: Tok) -> bool:
    word = tok.text
    if word in (",", ";") or word.startswith("("):
        return False
    return (word[:1].isupper() and _plain(word) not in role_words()) or _plain(word) in PARTICLES


def read_name(toks: list[Tok], i: int) -> tuple[str, int] | None:
    """A person's name starting at token i (after honorifics), with titles and degrees dropped."""
    while i < len(toks) and _plain(toks[i].text) in HONORIFICS:
        i += 1
    if i < len(toks) and _plain(toks[i].text) in VENUE_WORDS | CALENDAR_WORDS:
        return None
    parts: list[str] = []
    degree = False  # a degree closes the name: "H. Rahmadi Noor, SH, M.Si. Ia …"
    j = i
    while j < len(toks) and len(parts) < MAX_NAME_TOKENS:
        word = toks[j].text
        plain = _plain(word)
        if degree and word not in (",",) and not DEGREE.match(word):
            break
        if plain in TITLES_BEFORE and not parts:
            j += 1
            if j < len(toks) and toks[j].text == ",":  # "Drs, Budi Santoso"
                j += 1
            continue
        if DEGREE.match(word) and parts and toks[j - 1].text == ",":  # ", M.A." is no initials
            degree = True
            j += 1
            continue
        if re.fullmatch(r"(?:[A-Z]\.){2,}", word):  # initials "H.A.S."
            parts.append(word)
            j += 1
            continue
        if DEGREE.match(word) and parts:
            degree = True
            j += 1
            continue
        if word == "," and parts and j + 1 < len(toks) and DEGREE.match(toks[j + 1].text):
            j += 1
            continue
        if degree:
            break
        rank_in_name = bool(parts) and plain in RANK_WORDS and word[:1].isupper()  # "Yogi Pratama"
        if (is_name_token(toks[j]) or rank_in_name) and not (plain in PARTICLES and not parts):
            if len(word.rstrip(".")) == 1 and word.endswith(".") and not parts:
                j += 1
                continue
            parts.append(word.rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", word) else word)
            j += 1
            continue
        break
    while parts and _plain(parts[-1]) in PARTICLES:
        parts.pop()
    if not parts or all(len(p.rstrip(".")) <= 1 for p in parts):
        return None
    return " ".join(parts), j


def _role_text(text: str, toks: list[Tok]) -> str:
    if not toks:
        return ""
    return " ".join(text[toks[0].start : toks[-1].end].replace(" ,", ",").split()).strip(" ,")


def _strong_role_token(tok: Tok, regions: list[RegionMention]) -> bool:
    """A role token that cannot start a name: an acronym, a unit, a region, a role word."""
    return not tok.text.startswith("(") and tok.text != "," and is_role_token(tok, regions)


def continues_role_after_comma(text: str, toks: list[Tok], i: int, regions: list[RegionMention]) -> bool:
    """Does a comma sit inside a role: is it followed by role words and not by a new role or a name?"""
    if i >= len(toks) or not _strong_role_token(toks[i], regions) or _in_region(toks[i], regions):
        return False
    if ROLE_HEAD.match(text, toks[i].start) or not toks[i].text[:1].isupper():
        return False
    return _plain(toks[i].text) in role_words() and _plain(toks[i].text) not in HONORIFICS


def role_continues(text: str, toks: list[Tok], i: int, regions: list[RegionMention]) -> int | None:
    """Where a role resumes after capitalised words the vocabulary does not know, when a role word
    follows them before any comma ("Kepala Bidang Pengembangan Kompetensi Manajerial BPSDM Riau,
    …"), or after a joiner ("pendamping dari BPSDM"); None when the words are a name."""
    if i < len(toks) and _plain(toks[i].text) in ROLE_JOINERS:
        following = toks[i + 1] if i + 1 < len(toks) else None
        return i + 1 if following and _strong_role_token(following, regions) else None
    j = i
    while j < len(toks) and j - i <= MAX_SANDWICH:
        tok = toks[j]
        if tok.text in ("dan", "serta", "&"):
            j += 1
            continue
        if _strong_role_token(tok, regions) and tok.text[:1].isupper() and _plain(tok.text) not in RANK_WORDS:
            new_role = ROLE_HEAD.match(text, tok.start)  # "Walikota Yuliyanto dan Kepala BKD …"
            return j if j > i and not new_role else None
        if not (tok.text[:1].isupper() and tok.text.isalpha() and _plain(tok.text) not in TITLES_BEFORE):
            return None
        j += 1
    return None


def relative_clause_end(toks: list[Tok], i: int) -> int | None:
    """The token after "yang <lower-case words>," when a name follows the comma, else None."""
    if i >= len(toks) or toks[i].text.lower() != "yang":
        return None
    for j in range(i + 1, min(len(toks), i + 8)):
        word = toks[j].text
        if word == ",":
            return j if j > i + 1 and j + 1 < len(toks) and toks[j + 1].text[:1].isupper() else None
        if not word[:1].islower():
            return None
    return None


def role_then_name(text: str, regions: list[RegionMention]) -> list[tuple[str, str, int]]:
    """(name, role, position) for every "ROLE NAME", "ROLE, NAME" and "ROLE (NAME)" in a sentence."""
    toks = tokens(text)
    found = []
    for head in ROLE_HEAD.finditer(text):
        # A lower-case head ("staf ahli bidang …") is often no title at all: its name must be set off
        # by a comma or start with a title ("Drs", "Dr").
        lower_head = (
            head.group(0)[:1].islower() and not re.match(r"(?i)wali\s*kota|bupati|gubernur", head.group(0))
        ) or bool(EVENT_HEADS.match(head.group(0)))
        i = next((k for k, t in enumerate(toks) if t.start >= head.end()), len(toks))
        if PLACE_HEADS.match(head.group(0)):
            while i < len(toks) and toks[i].text[:1].isupper():
                i += 1
            if i >= len(toks) or toks[i].text != ",":
                continue
        role_toks = [t for t in toks if head.start() <= t.start < head.end()]
        while i < len(toks) and len(role_toks) < MAX_ROLE_TOKENS:
            tok = toks[i]
            if tok.text.startswith("(") and read_name(tokens(tok.text[1:-1]), 0):
                inner = tokens(tok.text[1:-1])
                name = read_name(inner, 0)
                if name and name[1] == len(inner) and " " in name[0]:
                    found.append((name[0], _role_text(text, role_toks), head.start()))
                    break
            if tok.text == "," and i + 1 < len(toks) and _in_region(toks[i + 1], regions):
                i += 1
                continue
            if tok.text == "," and continues_role_after_comma(text, toks, i + 1, regions):
                i += 1  # "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"
                continue
            if tok.text != "," and is_role_token(tok, regions):
                role_toks.append(tok)
                i += 1
                continue
            carried = role_continues(text, toks, i, regions)
            if carried:
                role_toks += toks[i:carried]
                i = carried
                continue
            clause = relative_clause_end(toks, i)
            if clause:
                i = clause  # "Widyaiswara BPSDM Sumbar yang mendampingi peserta, Drs. …"
                continue
            introduced = tok.text == ","
            if introduced:
                i += 1
            introduced = introduced or (i < len(toks) and _plain(toks[i].text) in TITLES_BEFORE)
            name = read_name(toks, i)
            if name and (introduced or not lower_head):
                found.append((name[0], _role_text(text, role_toks), head.start()))
            break
    return found


def name_then_role(text: str) -> list[tuple[str, str, int]]:
    """ "Ibu Ratna Kusuma, Kepala Bagian Umum …": a name introduced by an honorific or "oleh"."""
    found = []
    for match in re.finditer(r"\b(?:Ibu|Bapak|oleh)\s+", text):
        toks = tokens(text[match.end() :])
        name = read_name(toks, 0)
        if not name or name[1] >= len(toks) or toks[name[1]].text != ",":
            continue
        rest = text[match.end() + toks[name[1]].end :]
        head = ROLE_HEAD.match(rest.lstrip())
        if head:
            role = re.split(r"[.;,]| di | yang | bersama ", rest.lstrip())[0]
            found.append((name[0], " ".join(role.split()), match.start()))
    return found


def led_by(text: str) -> list[tuple[str, str, int]]:
    """ "dipimpin oleh Dr. Wiyono": the leader of the party, when no role comes with the name."""
    found = []
    for match in LED_BY.finditer(text):
        rest = text[match.end() :]
        if ROLE_HEAD.match(rest):
            continue
        toks = tokens(rest)
        lead = [t for t in toks[:6]]
        comma = next((k for k, t in enumerate(lead) if t.text == ","), None)
        start = comma + 1 if comma is not None and all(t.text[:1].isupper() for t in lead[:comma]) else 0
        name = read_name(toks, start)
        if name and (start or " " not in name[0] or _plain(toks[0].text) in TITLES_BEFORE | HONORIFICS):
            qualifier = " ".join(t.text for t in toks[: start - 1]) if start else ""
            role = "Pimpinan rombongan" + (f" ({qualifier})" if qualifier else "")
            found.append((name[0], role, match.start()))
    return found


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _same_person(a: str, b: str) -> bool:
    """One name is the other written shorter: "Hartono" / "Hartono Budi Prasetyo", "Putu Sukarma" /
    "I Gede Putu Sukarma", "Jon Hendri" / "Jonhendri"."""
    ka, kb = _key(a), _key(b)
    if ka.startswith(kb) or kb.startswith(ka):
        return True
    ta, tb = a.lower().split(), b.lower().split()
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) >= 2 and long[-len(short) :] == short


def extract_people(ctx: DocContext) -> list[Person]:
    """Named people with their roles, once each (a shorter form of a name merges into the longer)."""
    people: list[Person] = []
    for sentence, regions in zip(ctx.sentences, ctx.mentions, strict=True):
        text = sentence.text
        found = role_then_name(text, regions) + name_then_role(text) + led_by(text)
        for name, role, _ in sorted(found, key=lambda f: f[2]):
            if _plain(name.split()[0]) in role_words():
                continue
            people.append(Person(name, role or None, sentence.page, evidence(text), 0.75))
    return _merge(people)


def _merge(people: list[Person]) -> list[Person]:
    kept: list[Person] = []
    for person in people:
        key = _key(person.name)
        twin = next((k for k in kept if _same_person(k.name, person.name)), None)
        if twin is None:
            kept.append(person)
        elif len(key) > len(_key(twin.name)):
            kept[kept.index(twin)] = Person(person.name, twin.role or person.role, twin.page, twin.evidence,
                                            twin.confidence)  # fmt: skip
    return kept
