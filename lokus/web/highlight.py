"""Marking up untrusted text for HTML: everything is escaped, then matches are wrapped in <mark>.

Pure functions; document text is web content from anywhere, so nothing here ever passes it
through unescaped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from search.snippet import WORD, normalise_word

Span = tuple[int, int, str]  # start, end, a fragment id ("" for none)
_ELLIPSES = re.compile(r"^\s*(?:…|\.\.\.)|(?:…|\.\.\.)\s*$")


def mark_words(text: str, is_match: Callable[[str], bool]) -> Markup:
    """`text` escaped, with each word for which `is_match(normalised word)` is true in <mark>."""
    out: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        if not is_match(normalise_word(match.group())):
            continue
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<mark>") + escape(match.group()) + Markup("</mark>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def mark_spans(text: str, spans: Iterable[Span], css_class: str = "evidence") -> Markup:
    """`text` escaped, with each (start, end, id) span in a <mark> that can be linked to by id.

    A span inside another is a <mark> inside the other's; one that only partly overlaps an
    earlier span is cut at that span's end, so every span keeps its own element and id.
    """
    ordered = sorted(
        (max(0, s), min(len(text), e), ident) for s, e, ident in spans if e > s and s < len(text)
    )
    ordered.sort(key=lambda span: (span[0], -span[1]))
    root: dict = {"start": 0, "end": len(text), "id": None, "children": []}
    stack = [root]
    for start, end, ident in ordered:
        while len(stack) > 1 and start >= stack[-1]["end"]:
            stack.pop()
        parent = stack[-1]
        node = {"start": start, "end": min(end, parent["end"]), "id": ident, "children": []}
        parent["children"].append(node)
        stack.append(node)
    return _render(text, root, css_class)


def _render(text: str, node: dict, css_class: str) -> Markup:
    out: list[str] = []
    position = node["start"]
    for child in node["children"]:
        out.append(escape(text[position : child["start"]]))
        id_attr = Markup(' id="{}"').format(child["id"]) if child["id"] else Markup("")
        out.append(Markup('<mark class="{}"{}>').format(css_class, id_attr))
        out.append(_render(text, child, css_class))
        out.append(Markup("</mark>"))
        position = child["end"]
    out.append(escape(text[position : node["end"]]))
    return Markup("").join(out)


def evidence_anchor(page: int | None, evidence: str | None) -> str:
    """A stable fragment id for an evidence sentence on a page (facts sharing it share the id)."""
    key = f"{page}|{' '.join((evidence or '').split())}"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def find_span(text: str, needle: str, start_hint: int | None = None) -> tuple[int, int] | None:
    """Where `needle` occurs in `text` (the occurrence nearest `start_hint`), whitespace-tolerant."""
    needle = _ELLIPSES.sub("", needle).strip()  # a shortened evidence sentence matches its start
    if not needle:
        return None
    if start_hint is not None and text[start_hint : start_hint + len(needle)] == needle:
        return start_hint, start_hint + len(needle)
    found = list(_occurrences(text, needle))
    if found:
        best = min(found, key=lambda i: abs(i - start_hint)) if start_hint is not None else found[0]
        return best, best + len(needle)
    # The evidence may have had its whitespace collapsed: match word by word.
    words = needle.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    match = pattern.search(text)
    return (match.start(), match.end()) if match else None


def _occurrences(text: str, needle: str) -> Iterable[int]:
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)
