"""Stopword lists used by the keyword index: Indonesian (stopwords_id.txt) and English
(stopwords_en.txt, for English queries over Indonesian text)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _read(name: str) -> tuple[str, ...]:
    text = resources.files("search").joinpath(name).read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(dict.fromkeys(w for w in words if w))


@lru_cache
def indonesian_stopwords() -> tuple[str, ...]:
    """Lower-case Indonesian function words, in file order, without comments or blanks."""
    return _read("stopwords_id.txt")


@lru_cache
def english_stopwords() -> tuple[str, ...]:
    """Lower-case English function words."""
    return _read("stopwords_en.txt")


@lru_cache
def all_stopwords() -> frozenset[str]:
    """Every word the keyword index drops, in either language."""
    return frozenset(indonesian_stopwords()) | frozenset(english_stopwords())
