"""Measuring search quality against labelled queries, at document level.

A queries file is JSON: {"queries": [{"id", "query", "relevant": {file name: grade}}]}, grades
1 (partly) or 2 (highly relevant). A result counts as a file when the basename of its
source_uri equals the file name. nDCG uses linear gains (as trec_eval does).

A site questions file is JSON: {"questions": [{"id", "query", "expected": [region names]}]};
site ranking is scored by recall of the expected regions in the top 5, nDCG@10 and MRR.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from statistics import fmean

import duckdb

from search.embedders import Embedder
from search.query import DEFAULT_FUSION, FusionConfig, Mode, search

# Configurations compared by `lokus eval search` on the same corpus and queries in one run.
CONFIGURATIONS: dict[str, tuple[Mode, FusionConfig]] = {
    "bm25-words": ("bm25", replace(DEFAULT_FUSION, concepts=False)),
    "bm25": ("bm25", DEFAULT_FUSION),
    "dense": ("dense", DEFAULT_FUSION),
    "hybrid-rrf": ("hybrid", replace(DEFAULT_FUSION, fusion="rrf", dense_weight=0.3)),
    "hybrid-scores-0.3": ("hybrid", replace(DEFAULT_FUSION, dense_weight=0.3)),
    "hybrid": ("hybrid", DEFAULT_FUSION),  # the default
}


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


def evaluate_configurations(
    conn: duckdb.DuckDBPyConnection,
    queries_file: str | Path,
    embedder: Embedder | None,
    names: Iterable[str] = tuple(CONFIGURATIONS),
    *,
    k: int = 10,
) -> dict[str, ModeScore]:
    """Per-query and mean metrics for each named configuration (dense ones need the embedder)."""
    report: dict[str, ModeScore] = {}
    for name in names:
        mode, config = CONFIGURATIONS[name]
        if mode != "bm25" and embedder is None:
            continue
        score = evaluate_search(conn, queries_file, embedder, [mode], k=k, config=config)[mode]
        report[name] = ModeScore(name, score.queries)
    return report


@dataclass(frozen=True)
class SiteQuestion:
    question_id: str
    query: str
    expected: list[str]


def load_site_questions(path: str | Path) -> list[SiteQuestion]:
    """The questions of a site questions file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        SiteQuestion(str(q["id"]), str(q["query"]), [str(r) for r in q["expected"]])
        for q in data["questions"]
    ]


def _region_key(name: str) -> str:
    return " ".join(name.lower().replace("kab.", "kabupaten").split())


def evaluate_sites(
    conn: duckdb.DuckDBPyConnection,
    questions_file: str | Path,
    embedder: Embedder | None,
    modes: Iterable[Mode] = ("bm25", "hybrid"),
) -> dict[str, ModeScore]:
    """Recall of the expected regions in the top 5 (as `recall`), nDCG@10 and MRR, per mode."""
    from search.sites import rank_sites

    questions = load_site_questions(questions_file)
    report: dict[str, ModeScore] = {}
    for mode in modes:
        if mode != "bm25" and embedder is None:
            continue
        scores = []
        for q in questions:
            use = embedder if mode != "bm25" else None
            sites = rank_sites(conn, q.query, embedder=use, top=10, mode=mode)
            ranked = [_region_key(s.region) for s in sites]
            relevant = {_region_key(r): 1 for r in q.expected}
            scores.append(
                QueryScore(
                    q.question_id, q.query, ndcg_at_k(ranked, relevant, 10), recall_at_k(ranked, relevant, 5),
                    reciprocal_rank(ranked, relevant), [s.region for s in sites],
                )
            )
        report[f"sites-{mode}"] = ModeScore(f"sites-{mode}", scores)
    return report


def format_report(report: dict[str, ModeScore], recall_label: str = "Recall@10") -> str:
    """Per query and overall figures of each configuration, as text tables."""
    lines = []
    names = list(report)
    if not names:
        return "nothing to evaluate"
    queries = report[names[0]].queries
    width = max(len(n) for n in names)
    lines.append(f"{'configuration':<{width}}  nDCG@10  min    {recall_label:>9}  MRR")
    for name, score in report.items():
        worst = score.worst
        lines.append(
            f"{name:<{width}}  {score.ndcg:7.3f}  {worst.ndcg if worst else 0:.3f}  {score.recall:9.3f}  "
            f"{score.mrr:.3f}"
        )
    lines.append("")
    lines.append("nDCG@10 per query: " + "  ".join(f"{n}" for n in names))
    for i, q in enumerate(queries):
        cells = "  ".join(f"{report[n].queries[i].ndcg:.2f}" for n in names)
        lines.append(f"  {q.query_id:<5} {cells}  {q.query}")
    best = report[names[-1]]
    lines.append("")
    lines.append(f"{names[-1]}: {recall_label} and MRR per query, top results")
    for q in best.queries:
        lines.append(f"  {q.query_id:<5} R {q.recall:.2f}  RR {q.rr:.2f}  {', '.join(q.ranked[:5])}")
    return "\n".join(lines)
