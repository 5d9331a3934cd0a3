"""Groups (kelompok) of a visit: number, topic and host unit.

Forms: numbered groups ("Kelompok I “Topik … pada Bappeda”; Kelompok II …"), a count with a list
of loci ("dibagi empat kelompok … Mulai dari A, B, C dan D"), sub-themes attached to a locus
("Desa X dipilih untuk sub-tema Y"), focus areas ("memfokuskan pada bidang A, B dan C"), and
as a last resort the theme of the training ("tema pelatihan adalah terkait transformasi digital").
"""

from __future__ import annotations

import re

from extract.facts.context import DocContext
from extract.facts.model import Group
from extract.facts.numbers import to_int
from extract.facts.regions import Region
from extract.facts.text import evidence
from extract.facts.units import find_units

QUOTES = "“”\"'‘’"
_GROUP_NO = (
    r"(?P<no>\d{1,2}|[IVX]{1,4}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|"
    r"pertama|kedua|ketiga|keempat|kelima|keenam|ketujuh|kedelapan|kesembilan|kesepuluh)"
)
NUMBERED = re.compile(rf"\bKelompok\s+(?:ke\s*-\s*)?{_GROUP_NO}\b\s*[:.\-–]?\s*", re.I)
SPLIT_UNIT = re.compile(
    r"(?:,\s*|\s)(?:berkunjung\s+ke|bertempat\s+di|berlokasi\s+di|lokus|locus|pada|di|ke|bersama|meninjau|"
    r"mengunjungi)\s+"
)
# Verbs that open a group's text but are not its topic ("mempelajari tata kelola …" → "tata kelola …").
TOPIC_VERBS = re.compile(
    r"^(?:(?:untuk|guna)\s+)?(?:mempelajari|mendalami|mengkaji|membahas|belajar(?:\s+(?:tentang|mengenai))?|"
    r"melihat(?:\s+langsung)?|mengamati|menggali|memahami|meninjau|mengenal|menelaah|mendiskusikan|"
    r"berdiskusi\s+(?:tentang|mengenai)|fokus\s+pada|terkait|tentang|mengenai)\s+",
    re.I,
)
# Words that join the next group's text to this one ("…, sedangkan kelompok kedua …").
TRAILING_JOINERS = re.compile(
    r"(?:[\s,;:]+|\s+(?:sedangkan|dan|serta|lalu|kemudian|adapun|sementara(?:\s+itu)?|untuk|yang|guna|"
    r"dengan|di|ke|pada))+$",
    re.I,
)
LEADING_JOINERS = re.compile(r"^(?:[\s,;:]+|(?:dan|serta|atau|yaitu|yakni)\s+)+", re.I)
UNIT_START = re.compile(
    r"^(?:Kantor|Dinas|Badan|Bagian|Kecamatan|Kelurahan|Desa|Sekretariat|Inspektorat|RSUD|"
    r"Puskesmas|Unit|UPT|Pemerintah|Pemkot|Pemkab|[A-Z]{3,})"
)
QUOTED = re.compile(r"[“\"]\s*(?P<q>[^”\"]{3,240}?)\s*(?:[”\"]|$)")
TOPIC_AFTER = re.compile(
    r"\b(?:dengan\s+)?(?:topik|tema|sub-?tema|fokus(?:\s+bahasan)?|pokok\s+bahasan|membahas|mempelajari|"
    r"mendalami|mengkaji|belajar|melihat|mengamati|menggali|menelaah|tentang|terkait|mengenai)\s*:?\s*",
    re.I,
)
COUNT = re.compile(
    r"\b(?:dibagi|terbagi|terdiri\s+(?:atas|dari))\s+(?:menjadi\s+|dalam\s+|ke\s+dalam\s+)?"
    r"(?P<n>\d{1,2}|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)\s+kelompok\b",
    re.I,
)
LIST_START = re.compile(
    r"\b(?:mulai\s+dari|yaitu|yakni|antara\s+lain|(?:masing-masing\s+)?(?:berkunjung\s+ke|mengunjungi|"
    r"menuju)(?:\s+(?:lokus|locus))?|lokus|locus|:)\s+",
    re.I,
)
LIST_END = re.compile(r"\s+(?:untuk|guna|dalam\s+rangka|yang|sebagai)\s.*$", re.I)
FOCUS = re.compile(r"\b(?:memfokuskan|fokus|berfokus|difokuskan)\s+(?:pada|ke)\s+(?:bidang\s+)?", re.I)
THEME = re.compile(
    r"\btema\s+(?:pelatihan|kegiatan|kunjungan|diklat|studi\s+lapangan|benchmarking)\s+"
    r"(?:adalah|yaitu|yakni|ialah)?\s*(?:terkait\s+|tentang\s+|mengenai\s+)?(?P<topic>[^.,;]{5,120})",
    re.I,
)
SUBTHEME = (
    r"\s+(?:dipilih\s+untuk|menjadi\s+tujuan|untuk|dengan)\s+(?:sub-?tema|tema|topik)\s+"
    r"(?P<topic>[^,.;]{5,160})"
)
SPECIFIER = re.compile(r"^.*?\b(?:yaitu|yakni)\s+(?:di\s+)?", re.I)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip().strip(QUOTES + " ;,.").strip()
    value = re.sub(r"\s+", " ", value.replace("“", "").replace("”", "").replace('"', ""))
    return value or None


def _clean_topic(text: str | None) -> str | None:
    """A topic without the verb that introduced it or the words that join the next group."""
    value = _clean(text)
    if value is None:
        return None
    while TOPIC_VERBS.match(value):
        value = TOPIC_VERBS.sub("", value, count=1)
    return _clean(TRAILING_JOINERS.sub("", value))


def split_items(text: str, expected: int | None) -> list[str]:
    """Split a list "A, B, C dan D" (or "A, B serta C") into items, using the expected count if known.

    When an inner item already contains "dan", "dan" belongs to the items, not the list; "serta"
    always joins items.
    """
    text = text.strip().rstrip(".")
    commas = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    inner_dan = any(re.search(r"\sdan\s", c) for c in commas[:-1])
    last_serta = commas[:-1] + re.split(r"\s+serta\s+", commas[-1]) if commas else []
    last_dan = commas[:-1] + re.split(r"\s+(?:dan|serta)\s+", commas[-1]) if commas else []
    options = [re.split(r"\s+serta\s+", text), last_serta]
    if not inner_dan:
        options.append(last_dan)
    options += [commas, re.split(r"\s+dan\s+", text)]
    if expected:
        for items in options:
            if len(items) == expected:
                return [i.strip() for i in items]
    preferred = last_serta if " serta " in text else (commas if inner_dan else last_dan)
    return [i.strip() for i in preferred]


def _starts_with_unit(text: str) -> bool:
    units = find_units(text[:80])
    return bool(UNIT_START.match(text)) or bool(units and units[0].start == 0)


def _split_unit(text: str) -> tuple[str, str | None]:
    """("topic", "unit") at the last "pada/di/ke" followed by a unit, else (text, None)."""
    if _starts_with_unit(text.strip()) and not TOPIC_AFTER.search(text):
        return "", text
    split = [m for m in SPLIT_UNIT.finditer(text) if _starts_with_unit(text[m.end() :])]
    if not split:
        return text, None
    return text[: split[-1].start()], text[split[-1].end() :]


def parse_group_body(body: str) -> tuple[str | None, str | None]:
    """Topic and unit of one group's text.

    A quoted topic wins ("“Topik” pada Unit", "“Topik pada Unit”"); otherwise a marker introduces
    it ("Dinas X dengan topik Y", "ke Dinas X untuk mempelajari Y"); otherwise the text before
    "pada/di/ke <unit>" is the topic.
    """
    quoted = QUOTED.search(body)
    if quoted:
        topic, unit = _split_unit(quoted.group("q"))
        if unit is None:
            unit = _split_unit(" " + body[quoted.end() :])[1]
        return _clean_topic(topic), _clean_unit(unit)
    marker = TOPIC_AFTER.search(body)
    if marker:
        head = body[: marker.start()]
        topic, unit = body[marker.end() :], _split_unit(" " + head)[1]
        if unit is None:  # "mempelajari tata kelola … di Dinas X"
            topic, unit = _split_unit(" " + topic)
        return _clean_topic(topic), _clean_unit(unit)
    topic, unit = _split_unit(" " + body)
    return _clean_topic(topic), _clean_unit(unit)


def _clean_unit(unit: str | None) -> str | None:
    """A unit's name without joining words or punctuation around it ("Bappeda, dan" → "Bappeda")."""
    if unit is None:
        return None
    value = LEADING_JOINERS.sub("", TRAILING_JOINERS.sub("", unit.strip()))
    return _clean(value)


def numbered_groups(ctx: DocContext) -> list[Group]:
    """ "Kelompok I …; Kelompok II …" (a group's text runs to the next group or the sentence end)."""
    groups: list[Group] = []
    for sentence in ctx.sentences:
        text = sentence.text
        starts = list(NUMBERED.finditer(text))
        for i, match in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            body = text[match.end() : end].strip().rstrip(";,")
            number = to_int(match.group("no"))
            body = TRAILING_JOINERS.sub("", body)
            if number is None or len(body) < 5:
                continue
            topic, unit = parse_group_body(body)
            if topic or unit:
                groups.append(Group(number, topic, unit, sentence.page, evidence(body), 0.85))
    return _dedupe(groups)


def counted_groups(ctx: DocContext) -> list[Group]:
    """ "dibagi empat kelompok … Mulai dari A, B, C dan D": one group per locus listed."""
    groups: list[Group] = []
    for i, sentence in enumerate(ctx.sentences):
        count = COUNT.search(sentence.text)
        if not count:
            continue
        expected = to_int(count.group("n"))
        tail = sentence.text[count.end() :]
        start = LIST_START.search(tail)
        if not start and i + 1 < len(ctx.sentences):
            tail = ctx.sentences[i + 1].text
            start = LIST_START.search(tail)
        if not start:
            continue
        items = split_items(LIST_END.sub("", tail[start.end() :]), expected)
        for item in items:
            unit = _clean_unit(SPECIFIER.sub("", item))
            if unit:
                groups.append(Group(None, None, unit, sentence.page, evidence(sentence.text), 0.7))
    return groups


def attach_subthemes(ctx: DocContext, groups: list[Group]) -> list[Group]:
    """Give a group the sub-theme written for its locus ("Desa X dipilih untuk sub-tema Y")."""
    attached = []
    for group in groups:
        topic = group.topic
        if topic is None and group.host_unit:
            pattern = re.compile(re.escape(group.host_unit) + SUBTHEME, re.I)
            for sentence in ctx.sentences:
                found = pattern.search(sentence.text)
                if found:
                    topic = _clean_topic(re.split(r"\s+sedangkan\s+", found.group("topic"))[0])
                    break
        attached.append(Group(group.group_no, topic, group.host_unit, group.page, group.evidence,
                              group.confidence))  # fmt: skip
    return attached


def focus_groups(ctx: DocContext) -> list[Group]:
    """ "Peserta … akan memfokuskan pada bidang A, B, C": one topic per area."""
    for sentence in ctx.sentences:
        found = FOCUS.search(sentence.text)
        if found and re.search(r"\bpeserta\b", sentence.text, re.I):
            items = split_items(sentence.text[found.end() :], None)
            if len(items) >= 2:
                return [Group(None, _clean_topic(t), None, sentence.page, evidence(sentence.text), 0.6)
                        for t in items if _clean_topic(t)]  # fmt: skip
    return []


def theme_group(ctx: DocContext) -> list[Group]:
    """The training's theme as the one topic, when no groups are written."""
    for sentence in ctx.sentences:
        found = THEME.search(sentence.text)
        if found:
            topic = _clean_topic(found.group("topic"))
            return [Group(None, topic, None, sentence.page, evidence(sentence.text), 0.5)]
    return []


def _dedupe(groups: list[Group]) -> list[Group]:
    seen: set[tuple] = set()
    kept = []
    for group in groups:
        key = (group.group_no, (group.topic or "").lower(), (group.host_unit or "").lower())
        if key not in seen:
            seen.add(key)
            kept.append(group)
    return kept


def extract_groups(ctx: DocContext, host: Region | None = None) -> list[Group]:
    """The visit's groups, from the most explicit form the document uses."""
    groups = numbered_groups(ctx)
    if not groups:
        groups = attach_subthemes(ctx, counted_groups(ctx))
    if not groups:
        groups = focus_groups(ctx)
    if not groups:
        groups = theme_group(ctx)
    return _dedupe(groups)
