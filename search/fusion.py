"""Combining ranked lists (pure): reciprocal rank fusion at document level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Hit = tuple[str, str, float]  # chunk_id, document_id, score


def best_per_document(hits: Sequence[Hit]) -> list[tuple[str, float]]:
    """Documents of a ranked chunk list in order of their best chunk, with that chunk's score."""
    best: dict[str, float] = {}
    for _, doc, score in hits:
        best.setdefault(doc, score)
    return list(best.items())


def rrf(
    rankings: Mapping[str, Sequence[str]], *, k: float = 60.0, weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Reciprocal rank fusion: sum over lists of weight / (k + rank), rank counted from 1."""
    fused: dict[str, float] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


def ordered(scores: Mapping[str, float]) -> list[str]:
    """Keys by descending score, ties broken by key so results are stable."""
    return sorted(scores, key=lambda key: (-scores[key], key))
