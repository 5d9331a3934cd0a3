"""Measuring search quality against labelled queries, at document level.

A queries file is JSON: {"queries": [{"id", "query", "relevant": {file name: grade}}]}, grades
1 (partly) or 2 (highly relevant). A result counts as a file when the basename of its
source_uri equals the file name. nDCG uses linear gains (as trec_eval does).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from statistics import fmean

import duckdb

from search.embedders import Embedder
from search.query import DEFAULT_FUSION, FusionConfig, Mode, search


@dataclass(frozen=True)
class LabeledQuery:
    query_id: str
    query: str
    relevant: dict[str, int]


@dataclass(frozen=True)
class QueryScore:
    """One query's metrics in one mode, with the ranking that produced them."""

    query_id: str
    query: str
    ndcg: float
    recall: float
    rr: float
    ranked: list[str]


@dataclass(frozen=True)
class ModeScore:
    """All queries in one mode, and their means."""

    mode: str
    queries: list[QueryScore]

    @property
    def ndcg(self) -> float:
        return fmean(q.ndcg for q in self.queries) if self.queries else 0.0

    @property
    def recall(self) -> float:
        return fmean(q.recall for q in self.queries) if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return fmean(q.rr for q in self.queries) if self.queries else 0.0

    @property
    def worst(self) -> QueryScore | None:
        return min(self.queries, key=lambda q: q.ndcg, default=None)


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k results (linear gains)."""
    dcg = sum(relevant.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Share of the relevant documents found in the first k results."""
    wanted = {doc for doc, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    """1 / rank of the first relevant result (0 if none)."""
    for i, doc in enumerate(ranked, start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / i
    return 0.0


def load_queries(path: str | Path) -> list[LabeledQuery]:
    """The labelled queries of a queries file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        LabeledQuery(str(q["id"]), str(q["query"]), {str(k): int(v) for k, v in q["relevant"].items()})
        for q in data["queries"]
    ]


def file_name(source_uri: str) -> str:
    """The last path segment of a path or URL."""
    return PurePosixPath(source_uri.rstrip("/")).name


def evaluate_search(
    conn: duckdb.DuckDBPyConnection,
    queries_file: str | Path,
    embedder: Embedder | None,
    modes: Iterable[Mode] = ("bm25", "dense", "hybrid"),
    *,
    k: int = 10,
    config: FusionConfig = DEFAULT_FUSION,
) -> dict[str, ModeScore]:
    """Per-query and mean nDCG@k, Recall@k and MRR for each search mode."""
    queries = load_queries(queries_file)
    report: dict[str, ModeScore] = {}
    for mode in modes:
        scores = []
        for q in queries:
            results = search(conn, q.query, embedder=embedder, top=k, mode=mode, config=config)
            ranked = [file_name(r.source_uri) for r in results]
            scores.append(
                QueryScore(
                    q.query_id,
                    q.query,
                    ndcg_at_k(ranked, q.relevant, k),
                    recall_at_k(ranked, q.relevant, k),
                    reciprocal_rank(ranked, q.relevant),
                    ranked,
                )
            )
        report[mode] = ModeScore(mode, scores)
    return report
