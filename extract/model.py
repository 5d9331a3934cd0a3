"""The document model that readers produce and the warehouse consumes.

Every object carries enough provenance (document, page, character offsets) for a fact
or a search hit to point back at the exact place it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

DOC_TYPES = ("pdf", "html", "text")


def content_id(data: bytes) -> str:
    """The stable identifier of a document's content: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def text_hash(text: str) -> str:
    """SHA-256 hex of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Page:
    """One page of text (HTML and text documents have a single page, number 1)."""

    number: int
    text: str


@dataclass(frozen=True)
class Table:
    """A table found on a page: rows of cells, a cell is None where the source had none."""

    page: int
    index: int
    rows: list[list[str | None]]


@dataclass
class Document:
    """A document read from one source, with its pages, tables and metadata."""

    source_uri: str
    sha256: str
    doc_type: str
    pages: list[Page]
    title: str | None = None
    canonical_url: str | None = None
    published_date: date | None = None
    language: str | None = None
    tables: list[Table] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    byte_size: int = 0

    @property
    def document_id(self) -> str:
        return self.sha256[:16]

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class Chunk:
    """A passage of a page, sized for the embedding model; offsets are into the page text."""

    document_id: str
    page: int
    ordinal: int
    text: str
    char_start: int
    char_end: int

    @property
    def chunk_id(self) -> str:
        return f"{self.document_id}-{self.ordinal:05d}"

    @property
    def content_hash(self) -> str:
        """The embedding cache key: the same text is embedded once per model."""
        return text_hash(self.text)
