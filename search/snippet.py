"""A short window of a passage around the words that match a query (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
ELLIPSIS = "…"


def normalise_word(word: str) -> str:
    """Lower case without accents, as the keyword index sees a word."""
    if word.isascii():  # most words: nothing to decompose (the same result, several times faster)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def query_words(query: str) -> list[str]:
    """The normalised words of a query, in order, without repeats."""
    return list(dict.fromkeys(normalise_word(w) for w in WORD.findall(query)))


def make_snippet(text: str, is_match: Callable[[str], bool], width: int = 240) -> str:
    """About `width` characters of `text`, placed to show as many distinct matching words as
    possible (the start of the text if none match), cut at word boundaries, one line."""
    if len(text) <= width:
        return _one_line(text)
    words = [(m.start(), m.end(), normalise_word(m.group())) for m in WORD.finditer(text)]
    hits = [(s, e, w) for s, e, w in words if is_match(w)]
    start = _best_start(hits, width)
    if hits:
        # Centre the matched stretch in the window.
        covered_end = max(e for s, e, _ in hits if start <= s and e <= start + width)
        slack = width - (covered_end - start)
        start = max(0, start - slack // 2)
    start = min(start, max(0, len(text) - width))
    end = min(len(text), start + width)
    if start > 0 and not text[start - 1].isspace():
        start = _next_word_start(text, start, end)
    if end < len(text) and not text[end].isspace():
        end = _previous_word_end(text, start, end)
    snippet = _one_line(text[start:end])
    return (ELLIPSIS if start > 0 else "") + snippet + (ELLIPSIS if end < len(text) else "")


def _best_start(hits: list[tuple[int, int, str]], width: int) -> int:
    """Start of the window (at a hit) holding the most distinct matched words, then most hits."""
    best, best_key = 0, (0, 0)
    for i, (start, _, _) in enumerate(hits):
        inside = [w for s, e, w in hits[i:] if e <= start + width]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best, best_key = start, key
    return best


def _next_word_start(text: str, start: int, end: int) -> int:
    for i in range(start, end):
        if text[i].isspace():
            return i + 1
    return start


def _previous_word_end(text: str, start: int, end: int) -> int:
    for i in range(end, start, -1):
        if text[i - 1].isspace():
            return i - 1
    return end


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
