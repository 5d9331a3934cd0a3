"""Sentences of a document with their page numbers: the unit of evidence for every fact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.model import Document

# A period after these words does not end a sentence (titles, abbreviations in names and places).
ABBREVIATIONS = frozenset(
    [
        "dr",
        "drs",
        "dra",
        "h",
        "hj",
        "ir",
        "prof",
        "st",
        "dt",
        "tk",
        "tkt",
        "angk",
        "akt",
        "kab",
        "kec",
        "kel",
        "jl",
        "jln",
        "no",
        "nomor",
        "bpk",
        "ibu",
        "bp",
        "sdr",
        "pt",
        "cv",
        "ra",
        "ny",
        "tn",
        "s",
        "se",
        "si",
        "mm",
        "msi",
        "mpd",
        "mh",
        "sh",
        "sip",
        "skm",
        "spd",
        "mt",
        "mba",
        "mpa",
        "sos",
        "kom",
        "pd",
        "ak",
        "rp",
        "vs",
        "dll",
        "dsb",
        "dkk",
        "kota",
        "prov",
    ]
)
MAX_EVIDENCE_CHARS = 500

_WS = re.compile(r"[ \t\u00a0]+")
_BREAK_CANDIDATE = re.compile(r"([.!?])([\"”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])")
_LINE_END_PUNCT = re.compile(r"[.!?:;\"”]$")
# "Angkatan II. Kegiatan …": a Roman numeral ends a sentence (a single capital is an initial).
_ROMAN_END = re.compile(r"^[IVX]{2,5}$")
# ", M.Si. Ia menjelaskan …": a degree after a comma closes a name, and its period the sentence.
_DEGREE_END = re.compile(r",\s*[A-Z][a-z]{0,3}(?:\.[A-Za-z]{1,4}){1,3}$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a page, whitespace-normalised; `index` counts sentences in the document."""

    page: int
    index: int
    text: str


def normalise_space(text: str) -> str:
    """One space between words, typographic quotes and dashes kept."""
    return _WS.sub(" ", text).strip()


def typical_line_length(text: str) -> int:
    """The length of a full line of the page (lines wrap near it)."""
    lengths = sorted(len(normalise_space(line)) for line in text.splitlines() if line.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def join_wrapped_lines(text: str) -> list[str]:
    """Paragraphs of a page: wrapped lines are joined, short title-like lines stand alone."""
    paragraphs: list[str] = []
    current = ""
    last_line = ""
    full = max(40, int(typical_line_length(text) * 0.75))
    for raw in text.splitlines():
        line = normalise_space(raw)
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = last_line = line
            continue
        continues = (
            line[:1].islower()
            or line[:1] in ",;)"
            or (len(last_line) >= full and not _LINE_END_PUNCT.search(current))
        )
        last_line = line
        if continues:
            current = f"{current} {line}"
        else:
            paragraphs.append(current)
            current = line
    if current:
        paragraphs.append(current)
    return paragraphs


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends, not after titles and abbreviations like "Drs." or "Kab."."""
    pieces: list[str] = []
    start = 0
    for match in _BREAK_CANDIDATE.finditer(paragraph):
        if match.group(1) == ".":
            before = paragraph[start : match.start(1)].rsplit(" ", 1)[-1]
            raw = before.strip('("“')
            word = raw.lower()
            ends = _ROMAN_END.match(raw) or _DEGREE_END.search(paragraph[start : match.start(1)])
            if not ends and (word in ABBREVIATIONS or (len(word) <= 2 and word.isalpha()) or "." in word):
                continue
        end = match.end(2)
        pieces.append(paragraph[start:end].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]


def sentences(doc: Document) -> list[Sentence]:
    """Every sentence of the document, in reading order, with its page number."""
    found: list[Sentence] = []
    for page in doc.pages:
        for paragraph in join_wrapped_lines(page.text or ""):
            for text in split_sentences(paragraph):
                found.append(Sentence(page.number, len(found), text))
    return found


def evidence(text: str) -> str:
    """Evidence text as stored: the sentence, cut to a readable length."""
    text = normalise_space(text)
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 1] + "…"
