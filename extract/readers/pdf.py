"""Read a PDF: text and tables per page, metadata, title and date.

pdfplumber (pdfminer) reads tables, metadata and the text of any page that may hold a ruled
table. With the "fast" text engine (the default) a page with no ruled lines takes its text from
PDFium (pypdfium2, a pdfplumber dependency) instead: about 30 times faster, and measured to give
the same facts (bench/bench_pdf_text.py). pdfplumber finds tables only along drawn lines, so a
page whose drawings cannot form a grid has no table either engine would find. Set
LOKUS_PDF_TEXT=pdfplumber to read every page with pdfplumber.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import struct
import threading
import zlib

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extract.errors import CorruptDocument, EmptyDocument, EncryptedDocument, ReadError
from extract.model import Document, Page, Table
from extract.readers.dates import date_from_url, find_stated_date, parse_pdf_date
from extract.readers.text import (
    MAX_TITLE_CHARS,
    first_line_title,
    normalise_newlines,
    source_url,
)

log = logging.getLogger(__name__)

METADATA_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate",
                 "ModDate")  # fmt: skip
# What pdfminer raises on broken files besides its own exceptions: bad numbers, missing keys,
# wrong object types, short reads, bad compressed streams.
LOW_LEVEL_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError,
                    EOFError, struct.error, zlib.error, RecursionError)  # fmt: skip
PARSE_ERRORS = (PdfminerException, MalformedPDFException, PDFException, PSException)

_FILE_NAME = re.compile(r"\.(docx?|xlsx?|pptx?|pdf|rtf|odt|indd|exe|txt|tmp|qxd|pub)$", re.I)
_PRODUCER_PREFIX = re.compile(r"^(microsoft (word|excel|powerpoint)|untitled)\s*-\s*", re.I)
_JUNK_TITLES = {"untitled", "(anonymous)", "(unspecified)", "judul", "title", "document"}


TEXT_ENGINES = ("fast", "pdfplumber")
DEFAULT_TEXT_ENGINE = "fast"
# A drawn segment thinner than this (points) is a rule; a path of more segments than a rectangle
# (move + 4 lines + close) may be a whole grid, as many writers draw a table in one path.
_THIN_PT = 2.0
_RECT_SEGMENTS = 6
_SPACES = re.compile(r"[ \t\u00a0]+")
# PDFium is not thread-safe: one document at a time goes through it in this process.
_PDFIUM_LOCK = threading.Lock()


def text_engine() -> str:
    """The PDF text engine chosen by LOKUS_PDF_TEXT: 'fast' (default) or 'pdfplumber'."""
    value = os.environ.get("LOKUS_PDF_TEXT", "").strip().lower() or DEFAULT_TEXT_ENGINE
    if value not in TEXT_ENGINES:
        raise ValueError(f"LOKUS_PDF_TEXT must be one of {', '.join(TEXT_ENGINES)}, not {value!r}")
    return value


def _detail(exc: BaseException) -> str:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    text = str(inner).strip()
    return f"{type(inner).__name__}: {text}" if text else type(inner).__name__


def _as_read_error(exc: BaseException) -> ReadError:
    """The ReadError for an exception pdfplumber/pdfminer raised while opening a PDF."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, PDFPasswordIncorrect):
        return EncryptedDocument("PDF is password-protected")
    if isinstance(inner, PDFEncryptionError):
        return EncryptedDocument(f"PDF is encrypted and cannot be opened: {_detail(inner)}")
    return CorruptDocument(f"truncated or malformed PDF: {_detail(exc)}")


def pdf_title(raw: str | None) -> str | None:
    """A document title from PDF metadata, or None for empty or tool-made titles (file names)."""
    if not raw:
        return None
    title = _PRODUCER_PREFIX.sub("", " ".join(raw.split()))
    letters = sum(ch.isalpha() for ch in title)
    if letters < 3 or _FILE_NAME.search(title) or title.lower() in _JUNK_TITLES:
        return None
    return title[:MAX_TITLE_CHARS]


def _metadata(raw: dict) -> dict[str, str]:
    found = {}
    for key in METADATA_KEYS:
        value = raw.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str) and value.strip():
            found[key] = " ".join(value.split())
    return found


def _clean_table(rows: list[list[str | None]]) -> list[list[str | None]] | None:
    cleaned = [[" ".join(cell.split()) if cell is not None else None for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    filled = sum(1 for row in cleaned for cell in row if cell)
    return cleaned if filled >= 2 else None


def _read_page(
    page: pdfplumber.page.Page, fast_text: str | None = None
) -> tuple[str, list[list[list[str | None]]]]:
    """Text and raw tables of one page (or `fast_text`, no tables, for a page without ruled
    lines); the page's caches are freed afterwards."""
    try:
        if fast_text is not None:
            return fast_text, []
        text = normalise_newlines(page.extract_text() or "")
        tables = page.extract_tables()
        return text, tables
    finally:
        page.close()


def may_hold_table(page: pypdfium2.PdfPage) -> bool:
    """True if the page's drawings could form a ruled table (two rules each way, or a path that
    may be a whole grid); pages without such drawings give pdfplumber no table to find."""
    across = down = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        if pdfium_c.FPDFPath_CountSegments(obj.raw) > _RECT_SEGMENTS:
            return True
        left, bottom, right, top = obj.get_bounds()
        wide, tall = right - left > _THIN_PT, top - bottom > _THIN_PT
        across += 2 if wide and tall else int(wide)
        down += 2 if wide and tall else int(tall)
        if across >= 2 and down >= 2 and across + down >= 5:
            return True
    return False


def pdfium_text(page: pypdfium2.PdfPage) -> str:
    """A page's text from PDFium, in the form pdfplumber gives (single spaces, Unix newlines)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()  # all characters, also those outside the page box
    finally:
        textpage.close()
    # PDFium marks a hyphen that ends a line with \x02 in place of the hyphen and the line break.
    raw = raw.replace("\x02", "-\n").replace("\ufffe", "-\n").replace("\x0c", "\n")
    return normalise_newlines("\n".join(_SPACES.sub(" ", line).strip() for line in raw.splitlines()))


def fast_texts(data: bytes) -> list[str | None]:
    """Per page: PDFium's text if the page cannot hold a ruled table, else None (read it with
    pdfplumber). Empty if PDFium cannot open the file (pdfplumber then reads every page)."""
    with _PDFIUM_LOCK:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            return []
        try:
            texts: list[str | None] = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    texts.append(None if may_hold_table(page) else pdfium_text(page))
                except pypdfium2.PdfiumError:
                    texts.append(None)
                finally:
                    page.close()
            return texts
        finally:
            pdf.close()


def read_pdf(data: bytes, source_uri: str, *, engine: str | None = None) -> Document:
    """A PDF's pages (1-based), tables and metadata.

    `engine` is 'fast' or 'pdfplumber' (default: `text_engine()`). Raises EncryptedDocument,
    CorruptDocument, or EmptyDocument when the PDF has no pages or no text layer. A page that
    fails alone is kept empty and noted in metadata["page_errors"].
    """
    pages: list[Page] = []
    tables: list[Table] = []
    page_errors: list[str] = []
    engine = engine or text_engine()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            metadata = _metadata(pdf.metadata or {})
            fast = fast_texts(data) if engine == "fast" else []
            if len(fast) != len(pdf.pages):  # the engines disagree on the pages: pdfplumber only
                fast = []
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    text, raw_tables = _read_page(page, fast[number - 1] if fast else None)
                except (*PARSE_ERRORS, *LOW_LEVEL_ERRORS) as exc:
                    log.warning("%s page %d unreadable: %s", source_uri, number, _detail(exc))
                    page_errors.append(f"page {number}: {_detail(exc)}")
                    text, raw_tables = "", []
                pages.append(Page(number=number, text=text))
                for rows in raw_tables:
                    cleaned = _clean_table(rows)
                    if cleaned:
                        index = sum(1 for t in tables if t.page == number)
                        tables.append(Table(page=number, index=index, rows=cleaned))
    except PARSE_ERRORS as exc:
        raise _as_read_error(exc) from exc
    except LOW_LEVEL_ERRORS as exc:
        raise CorruptDocument(f"truncated or malformed PDF: {_detail(exc)}") from exc

    if not pages:
        raise EmptyDocument("PDF has no pages")
    if page_errors and len(page_errors) == len(pages):
        raise CorruptDocument(f"malformed PDF: no page could be read ({page_errors[0]})")
    if not any(page.text.strip() for page in pages):
        raise EmptyDocument(
            f"PDF has {len(pages)} page(s) but no text layer (scanned or image-only; OCR is not supported)"
        )
    metadata["pages"] = str(len(pages))
    if page_errors:
        metadata["page_errors"] = "; ".join(page_errors)
    first_text = next(page.text for page in pages if page.text.strip())
    title = pdf_title(metadata.get("Title")) or first_line_title(first_text)
    source = source_url(first_text)
    # A date the document states (dateline, source address) beats the file's creation date.
    # A web page printed to PDF (it names its source address) was created the day it was
    # printed, so its creation date says nothing about publication.
    published = find_stated_date(first_text, skip=title) or date_from_url(source)
    if published is None and source is None:
        published = parse_pdf_date(metadata.get("CreationDate"))
    return Document(
        source_uri=source_uri,
        sha256=hashlib.sha256(data).hexdigest(),
        doc_type="pdf",
        pages=pages,
        title=title,
        canonical_url=source,
        published_date=published,
        tables=tables,
        metadata=metadata,
        byte_size=len(data),
    )
