"""Read plain text and Markdown: decode, title from the first line, one page."""

from __future__ import annotations

import hashlib
import re

from extract.errors import EmptyDocument
from extract.model import Document, Page
from extract.readers.dates import find_stated_date
from extract.readers.encoding import decode_bytes

MAX_TITLE_CHARS = 300
_SOURCE_LINE = re.compile(r"^(?:(?:sumber|source|url|link|tautan)\s*:\s*)?<?(https?://\S+?)>?$", re.I)
_SOURCE_LABEL = re.compile(r"^(?:sumber|source|url|link|tautan)\s*:$", re.I)
# A wrapped URL's next line: one token of URL characters that starts in lower case or a digit.
_URL_CONTINUATION = re.compile(r"^[a-z0-9][\w\-./?=&%#~+:;,@!]*$")
_URL_PUNCTUATION = re.compile(r"[-/?=_.&]")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*|\s+#+\s*$")
_MARKDOWN_EMPHASIS = re.compile(r"[*`]+|(?<!\w)__?|__?(?!\w)")


def normalise_newlines(text: str) -> str:
    """Unix newlines, no byte-order mark, no trailing spaces on lines, no NUL characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


# A first line that names the kind of document ("SIARAN PERS", "Press release ...") heads a block of
# issuer, number and date lines; the headline is the first line of the next paragraph.
_GENRE_LABEL = re.compile(r"^(?:siaran\s+pers|press\s+release|rilis(?:\s+(?:pers|berita|media))?)\b", re.I)


def _clean(line: str) -> str:
    return _MARKDOWN_EMPHASIS.sub("", _MARKDOWN_HEADING.sub("", line)).strip()


def first_line_title(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks or emphasis; for a press release
    that opens with its genre label and a header block, the first line after that block."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        title = _clean(line)
        if not title:
            continue
        if _GENRE_LABEL.match(title):
            headline = _after_header_block(lines[i + 1 :])
            if headline:
                return headline[:MAX_TITLE_CHARS]
        return title[:MAX_TITLE_CHARS]
    return None


def _after_header_block(lines: list[str]) -> str | None:
    """The first non-empty line after the first blank line (None if the text has no such line)."""
    blank_seen = False
    for line in lines:
        cleaned = _clean(line)
        if not cleaned:
            blank_seen = True
        elif blank_seen:
            return cleaned
    return None


def source_url(text: str, *, max_lines: int = 5) -> str | None:
    """The source address a saved article states near its top: a URL alone on a line,
    or after "Sumber:"/"Source:"; a URL wrapped onto the next line is joined back."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][: max_lines + 1]
    for i, line in enumerate(lines[:max_lines]):
        if _SOURCE_LABEL.match(line) and i + 1 < len(lines):
            line = lines[i + 1]
            i += 1
        match = _SOURCE_LINE.match(line)
        if not match:
            continue
        url = match.group(1)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _URL_CONTINUATION.match(following) and _URL_PUNCTUATION.search(following):
            url += following
        return url
    return None


def read_text(data: bytes, source_uri: str, *, declared_charset: str | None = None) -> Document:
    """A text or Markdown document as one page; raises EmptyDocument if it has no text."""
    text, encoding = decode_bytes(data, declared_charset)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyDocument("text file has no text (only whitespace)")
    title = first_line_title(text)
    return Document(
        source_uri=source_uri,
        sha256=hashlib.sha256(data).hexdigest(),
        doc_type="text",
        pages=[Page(number=1, text=text)],
        title=title,
        canonical_url=source_url(text),
        published_date=find_stated_date(text, skip=title),
        metadata={"encoding": encoding},
        byte_size=len(data),
    )
