"""Awards: name, giver, year and recipient ("penghargaan Innovative Government Award 2012 dari
Kementerian Dalam Negeri"). Known awards are named through `data/awards.json`, so spellings
such as "Inovatif Government Award" are stored once, canonically.

Forms: "penghargaan/penganugerahan/predikat NAME (dari|oleh GIVER)", "masuk jajaran 100 Smart City",
"terbaik … di ajang NAME", "diganjar dengan WTP oleh BPK", "X diapresiasi dari PBB".
A name is a run of capitalised words and numbers, with a "kategori …" tail.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from extract.facts.context import DocContext
from extract.facts.model import Award, Site
from extract.facts.text import evidence

TRIGGER = re.compile(
    r"\b(?:(?:penghargaan|penganugerahan|anugerah|trofi|piala|piagam|predikat)(?:\s+sebagai)?|"
    r"dinobatkan\s+sebagai|dianugerahi)\s+",
    re.I,
)
NAME_STARTS_WITH_TRIGGER = {"penganugerahan", "anugerah", "piala"}
RANKED_LIST = re.compile(
    r"\bmasuk\s+(?:dalam\s+)?(?:(?:jajaran|daftar|deretan)\s+(?=\S*\d)|(?=(?:Top|TOP)\s+\d))", re.I
)
CONTEST = re.compile(r"\b(?:terbaik|juara|pemenang|meraih|menjadi)\b[^.]{0,120}?\bajang\s+", re.I)
# "Pada ajang Innovative Government Award 2021 …": a contest named without a winner's verb.
CONTEST_NAMED = re.compile(r"\bajang\s+(?=[A-Z])")
CONTEST_WORDS = re.compile(r"\b(?:Award|Awards|Penghargaan|Anugerah|Kompetisi|Lomba|Apresiasi|Top)\b", re.I)
AWARDED_WITH = re.compile(
    r"\b(?:diganjar|(?:mem)?peroleh|meraih|mendapat(?:kan)?|menerima|raih)\s+(?:dengan\s+)?"
    r"(?:kembali\s+)?(?:opini\s+|predikat\s+)?(?=(?:opini\s+)?(?:WTP|Wajar))|\bdiganjar\s+(?:dengan\s+)?"
    r"(?:opini\s+|predikat\s+)?",
    re.I,
)
# Names that say only how grand an award is ("penghargaan nasional", "penghargaan bergengsi").
GENERIC_AWARD_WORDS = frozenset(
    re.findall(r"\w+", "nasional tingkat internasional bergengsi tersebut ini itu lainnya pusat daerah")
)
# A designation a region gives itself is no award ("predikat Kabupaten Hijau yang dicanangkan …").
SELF_DECLARED = re.compile(
    r"^\s*,?\s*(?:yang\s+)?(?:telah\s+)?(?:di)?(?:canangkan|deklarasikan|usung|gagas|luncurkan)\w*", re.I
)
# The giver further on in the clause ("… sebagai kabupaten terbaik dari Kementerian PPN/Bappenas").
GIVER_LATER = re.compile(r"^[^.;]{0,80}?\b(?:dari|oleh|diberikan|diselenggarakan|digelar)\s+(?=[A-Z])")
YEAR_NEAR = re.compile(r"\b(?:pada|tahun|sejak)\s+(?:tahun\s+)?((?:19|20)\d{2})\b", re.I)
APPRECIATED = re.compile(
    r"(?P<recipient>\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+(?:\w+\s+){0,3}"
    r"diapresiasi\s+(?:oleh|dari)\s+(?P<giver>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,4})"
)
GIVER = re.compile(
    r"^\s*,?\s*(?:yang\s+)?(?:(?:di)?(?:berikan|serahkan|anugerahkan|selenggarakan)\s+)?(?:langsung\s+)?"
    r"(?:dari|oleh)?\s*(?P<giver>(?:Menteri|Kementerian|Kemen\w+|Presiden|Gubernur|Pemerintah|BPK|Badan|"
    r"Lembaga|Komisi|Ombudsman|Wakil\s+Presiden|PBB|KPK|LAN|Bappenas|[A-Z][A-Za-z]+\s+Media|[A-Z]{3,}\b)"
    r"(?:/[A-Z][\w.]*)?(?:\s+(?:[A-Z][\w./]*|RI|dan|Republik))*)"
)
STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        "dari oleh atas yang pada sebagai kepada karena dalam serta sejak bagi di ke dengan itu ini "
        "tersebut dan untuk berhasil",
    )
)
GIVER_HEADS = re.compile(
    r"^(?:Pemerintah|Kementerian|Menteri|Presiden|Gubernur|Bupati|Wali\s*kota|Kemen)", re.I
)
YEAR = re.compile(r"\b(?:tahun\s+)?((?:19|20)\d{2})\b", re.I)
NAME_TOKEN = re.compile(r"\([^)]{1,40}\)|[\w’'&\-]+(?:\.\w+)*\.?|,")
MIN_NAME_CHARS = 3


@lru_cache(maxsize=1)
def award_table() -> dict[str, tuple[str, str | None]]:
    """Lower-cased award names and acronyms → (canonical name, usual giver)."""
    raw = json.loads(resources.files("extract.facts.data").joinpath("awards.json").read_text("utf-8"))
    return {name.lower(): (a["canonical"], a["giver"]) for a in raw["awards"] for name in a["names"]}


def canonical_award(name: str) -> tuple[str, str | None] | None:
    """(canonical name, usual giver) of a known award that `name` names or starts with, else None."""
    table = award_table()
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    acronym = re.search(r"\(([A-Za-z]{2,10})\)", name)
    for candidate in (plain, f"penghargaan {plain}", acronym.group(1) if acronym else ""):
        if candidate.lower() in table:
            return table[candidate.lower()]
    for alias, value in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if len(alias) > 4 and re.match(re.escape(alias) + r"\b", plain, re.I):
            return value
    return None


def read_name(text: str) -> tuple[str, int]:
    """The award name at the start of `text` and where it ends: capitalised words and numbers,
    with a "(untuk) kategori …" tail that runs to the next comma."""
    words: list[str] = []
    end = 0
    category = False
    for match in NAME_TOKEN.finditer(text):
        token = match.group(0)
        low = token.lower().rstrip(".")
        if token == ",":
            break
        if category and low in ("dari", "oleh", "yang", "atas"):
            break
        if low in ("kategori", "untuk") and words:
            category = (
                category or low == "kategori" or text[match.end() :].lstrip().lower().startswith("kategori")
            )
            if not category:
                break
        elif not category and (low in STOP_WORDS or not (token[:1].isupper() or token[:1].isdigit() or
                                                          token.startswith("("))):  # fmt: skip
            break
        words.append(token.rstrip(".") if token.endswith(".") and len(token) > 2 else token)
        end = match.end()
        if token.endswith(".") and len(token) > 3:
            break
    while words and words[-1].lower() in ("untuk", "kategori", "dan"):
        words.pop()
    return " ".join(words), end


def _is_generic(name: str) -> bool:
    words = re.findall(r"\w+", name.lower())
    return not words or all(w in GENERIC_AWARD_WORDS for w in words)


def make_award(
    name: str, rest: str, sentence_text: str, page: int, site: Site | None, before: str = ""
) -> Award | None:
    """An award from its name and the text around it (year, giver), or None for a non-name."""
    name = name.strip(" ,.-")
    if len(name) < MIN_NAME_CHARS or GIVER_HEADS.match(name) or _is_generic(name):
        return None
    if SELF_DECLARED.match(rest):
        return None
    year_after = YEAR.match(rest.lstrip())
    year_in_name = YEAR.search(name)
    year = int((year_in_name or year_after).group(1)) if (year_in_name or year_after) else None
    if year_after:
        rest = rest.lstrip()[year_after.end() :]
    clause = re.split(r"[.;]|\s+serta\s+|,\s+(?:dan|sedangkan)\s+", rest, maxsplit=1)[0]
    if year is None:  # "… dari Ombudsman pada 2020", "pada 2023 meraih penghargaan …"
        near = YEAR_NEAR.search(clause) or YEAR_NEAR.search(re.split(r"[.;,]", before)[-1])
        year = int(near.group(1)) if near else None
    name = re.sub(r"\s+(?:tahun\s+)?(?:19|20)\d{2}$", "", name, flags=re.I).strip()
    giver_match = GIVER.match(rest)
    later = GIVER_LATER.match(clause) if giver_match is None else None
    if later:
        giver_match = GIVER.match(clause[later.end() :])
    giver = " ".join(giver_match.group("giver").split()).rstrip(".") if giver_match else None
    known = canonical_award(name)
    if known:
        canonical, usual_giver = known
        if canonical.lower() not in name.lower():
            category = re.search(r"\bkategori\b.*$", name)
            name = f"{canonical} {category.group(0)}" if category else canonical
        giver = giver or usual_giver
    return Award(name, giver, year, site.region if site else None, page, evidence(sentence_text),
                 0.85 if known else 0.7)  # fmt: skip


def sentence_awards(text: str, page: int, site: Site | None) -> list[Award]:
    """Awards named in one sentence."""
    awards: list[Award] = []
    designations: list[Award] = []  # "dinobatkan sebagai Kabupaten Sangat Inovatif"
    for pattern in (TRIGGER, RANKED_LIST, CONTEST, CONTEST_NAMED, AWARDED_WITH):
        for match in pattern.finditer(text):
            rest = text[match.end() :]
            name, end = read_name(rest)
            trigger = match.group(0).strip()
            if pattern is TRIGGER and trigger[:1].isupper() and trigger.lower() in NAME_STARTS_WITH_TRIGGER:
                name = f"{trigger} {name}" if name else ""
            if pattern is AWARDED_WITH and not canonical_award(name):
                continue
            if pattern is CONTEST_NAMED and not (canonical_award(name) or CONTEST_WORDS.search(name)):
                continue
            award = make_award(name, rest[end:], text, page, site, text[: match.start()])
            if award and pattern is TRIGGER and trigger.lower().endswith("sebagai"):
                designations.append(award)
            elif award:
                awards.append(award)
    if awards and designations:  # the result of the award named beside it: one award
        first = awards[0]
        titles = " – ".join(d.award for d in designations)
        awards[0] = Award(f"{first.award} – {titles}", first.giver, first.year, first.recipient, first.page,
                          first.evidence, first.confidence)  # fmt: skip
    else:
        awards += designations
    for match in APPRECIATED.finditer(text):
        giver = match.group("giver").strip()
        awards.append(Award(f"Apresiasi dari {giver}", giver, None, match.group("recipient").strip(), page,
                            evidence(text), 0.6))  # fmt: skip
    return awards


def _key(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower()).strip()


def _dedupe(awards: list[Award]) -> list[Award]:
    """One award per name and year (a name that starts another is the same award)."""
    kept: list[Award] = []
    for award in awards:
        key = _key(award.award)
        same = next(
            (k for k in kept if (_key(k.award).startswith(key) or key.startswith(_key(k.award)))
             and (k.year == award.year or None in (k.year, award.year))),
            None,
        )  # fmt: skip
        if same is None:
            kept.append(award)
    return kept


def extract_awards(ctx: DocContext, site: Site | None) -> list[Award]:
    """Awards named in the document, once each."""
    awards: list[Award] = []
    for sentence in ctx.sentences:
        awards += sentence_awards(sentence.text, sentence.page, site)
    return _dedupe(awards)
