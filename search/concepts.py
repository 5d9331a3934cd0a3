"""Civil-service abbreviations and their long forms as one concept (data: data/abbreviations.json).

Documents are indexed with a concept's token wherever any of its forms appears, and a query's
forms are replaced by that token: 'UMKM' finds 'usaha mikro, kecil dan menengah' and the reverse,
and a query naming both the abbreviation and its expansion counts the concept once. Related terms
(what the concept is about, the unit that runs it) join a query at a lower weight.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from search.snippet import normalise_word

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_text(text: str) -> str:
    """Lower case, accents stripped, every run of non-letters/digits one space, padded by spaces."""
    return " " + _NON_WORD.sub(" ", normalise_word(text)).strip() + " "


@dataclass(frozen=True)
class Concept:
    key: str  # the concept's token text, e.g. "umkm" (may be several words: "pelayanan publik")
    forms: tuple[str, ...]  # normalised surface forms, the key included
    related: tuple[str, ...]


@dataclass(frozen=True)
class Rewrite:
    """A query with its concept forms taken out."""

    rest: str  # normalised text left after removing the forms
    concepts: tuple[str, ...]  # keys of the concepts named, in order
    related: tuple[str, ...]  # their related terms


class Concepts:
    """The concept table and a matcher for its forms."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = concepts
        self.by_form: dict[str, Concept] = {}
        for concept in concepts:
            for form in concept.forms:
                self.by_form.setdefault(form, concept)
        forms = sorted(self.by_form, key=lambda f: (-len(f), f))
        # Longest form first, whole words only (text is normalised and space-padded).
        self.pattern = "(?:^| )(" + "|".join(re.escape(f) for f in forms) + ")(?= |$)" if forms else "(?!)"
        self._regex = re.compile(self.pattern)

    def find(self, text: str) -> list[Concept]:
        """Concepts whose forms appear in `text` (any text; normalised here), in order of appearance."""
        return [self.by_form[m.group(1)] for m in self._regex.finditer(normalise_text(text))]

    def rewrite(self, query: str) -> Rewrite:
        """The query without its concept forms, and the concepts (and related terms) they named."""
        found: list[Concept] = []

        def take(match: re.Match) -> str:
            found.append(self.by_form[match.group(1)])
            return " "

        rest = self._regex.sub(take, normalise_text(query))
        keys = tuple(dict.fromkeys(c.key for c in found))
        related = tuple(dict.fromkeys(r for c in found for r in c.related if r not in keys))
        return Rewrite(" ".join(rest.split()), keys, related)


def _norm(text: str) -> str:
    return normalise_text(text).strip()


def parse_concepts(data: dict) -> Concepts:
    """The table from the JSON structure of data/abbreviations.json."""
    concepts = []
    for item in data["concepts"]:
        key = _norm(item["short"])
        forms = tuple(dict.fromkeys([key, *(_norm(f) for f in item.get("forms", []))]))
        related = tuple(dict.fromkeys(_norm(r) for r in item.get("related", [])))
        concepts.append(Concept(key, tuple(f for f in forms if f), tuple(r for r in related if r)))
    return Concepts(concepts)


@lru_cache
def default_concepts() -> Concepts:
    """The project's table, data/abbreviations.json."""
    text = resources.files("search").joinpath("data", "abbreviations.json").read_text(encoding="utf-8")
    return parse_concepts(json.loads(text))
