"""The Indonesian stopword list used by the keyword index (data in stopwords_id.txt)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache
def indonesian_stopwords() -> tuple[str, ...]:
    """Lower-case Indonesian function words, in file order, without comments or blanks."""
    text = resources.files("search").joinpath("stopwords_id.txt").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(dict.fromkeys(w for w in words if w))
