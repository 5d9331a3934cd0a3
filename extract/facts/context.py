"""What every extractor reads: the document's sentences, title and region mentions, built once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from extract.facts.regions import Gazetteer, RegionMention, gazetteer
from extract.facts.text import Sentence, normalise_space, sentences
from extract.model import Document

# Words that say a sentence is about the visit itself.
VISIT_CUE = re.compile(
    r"\bb[ae]nc?h?\s?mar?k\w*|\bstudi\s+(?:lapangan|banding|tiru|komparati\w*)|\bstudy\s+banding|"
    r"\bkunjung\w*|\bberkunjung|\bmengunjungi|\bvisitasi|\bmelawat|\blawatan|\bkedatangan|"
    r"\brombongan|\bditerima\b|\bmenerima\s+(?:kunjungan|peserta|rombongan)|\bmenyambut|\b(?:di)?sambut\b|"
    r"\bmeninjau\b",
    re.I,
)
# Cues that alone say a document reports a visit.
STRONG_VISIT_CUE = re.compile(
    r"\bb[ae]nc?h?\s?mar?k\w*|\bstudi\s+(?:lapangan|banding|tiru|komparati\w*)|\bstudy\s+banding|"
    r"\bvisitasi|\bmelawat|\blawatan|\bkunjungan\s+(?:kerja|belajar|lapangan)",
    re.I,
)


INDONESIAN = (None, "id", "ms")  # languages read as Indonesian (None: too short to tell)


@dataclass
class DocContext:
    """A document prepared for extraction."""

    doc: Document
    sentences: list[Sentence]
    title: str

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return gazetteer()

    @cached_property
    def mentions(self) -> list[list[RegionMention]]:
        """Region mentions of each sentence (same order as `sentences`)."""
        return [self.gazetteer.find(s.text) for s in self.sentences]

    @cached_property
    def title_mentions(self) -> list[RegionMention]:
        return self.gazetteer.find(self.title)

    @property
    def indonesian(self) -> bool:
        """Is the document in Indonesian (or too short to tell)?"""
        return self.doc.language in INDONESIAN

    @cached_property
    def is_visit(self) -> bool:
        """Does the document report a visit (benchmarking, studi lapangan, kunjungan ...)?"""
        return (
            bool(VISIT_CUE.search(self.title))
            or sum(1 for s in self.sentences if VISIT_CUE.search(s.text)) >= 2
            or any(STRONG_VISIT_CUE.search(s.text) for s in self.sentences)
        )


def build_context(doc: Document) -> DocContext:
    """Sentences and title of a document (the title from metadata, else the first line)."""
    found = sentences(doc)
    title = normalise_space(doc.title or (found[0].text if found else ""))
    return DocContext(doc, found, title)
