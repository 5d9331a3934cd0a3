"""Measuring fact extraction against hand annotations: per-field accuracy, precision, recall, F1.

Single-valued fields (host region, province, programme, cohort, year, visit date, participant
count, organiser) are compared per document: a right value is a true positive, a wrong one counts
as a false positive and a false negative, a value where the annotation has none a false positive,
and a missing one a false negative; accuracy counts agreeing documents, both empty included.
List fields (groups, awards, people, host units, practices) are matched one to one.

Matching is by meaning, not spelling: regions through the gazetteer ("DI Yogyakarta" is
"Daerah Istimewa Yogyakarta"), ministries through their acronyms ("Kemendagri"), units through the
alias table (or by their words when the table does not know them), awards through the award table,
people by name without titles, and free text by shared words (a few letters of spelling apart
still agree: "Inovatif" and "Innovative").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from extract.facts import extract_facts
from extract.facts.agencies import expand_agencies
from extract.facts.awards import canonical_award
from extract.facts.model import FactSet
from extract.facts.regions import gazetteer
from extract.facts.units import find_units

SCALAR_FIELDS = ("host_region", "host_province", "program", "cohort", "year", "visit_date",
                 "participant_count", "organiser")  # fmt: skip
LIST_FIELDS = ("groups", "awards", "people", "host_units", "practices")
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "dan di ke untuk yang dari atas pada dengan the of a kategori serta oleh sebagai "
        "provinsi kabupaten kota pemerintah",  # region words say where, not what
    )
)
TITLES = frozenset(
    re.findall(r"\w+", "dr drs dra h hj ir prof bapak ibu s sh se si sip msi mm mpd mh st dt kh")
)
MIN_TOKEN_SHARE = 0.6


@dataclass
class FieldScore:
    """Counts for one field over the documents."""

    name: str
    kind: str  # scalar | list
    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0
    documents: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.agree / self.documents if self.documents else 1.0


@dataclass(frozen=True)
class Mismatch:
    document: str
    field: str
    expected: Any
    predicted: Any


@dataclass
class ExtractionReport:
    """Scores per field, the documents measured, and every disagreement (for error analysis)."""

    fields: dict[str, FieldScore]
    documents: int
    read_errors: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


# --- comparing values --------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", expand_agencies(text).lower())
    return [w for w in words if w not in STOPWORDS]


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8


def text_match(expected: str | None, predicted: str | None) -> bool:
    """Do two free texts name the same thing? Most words of the shorter appear in the longer."""
    if not expected or not predicted:
        return False
    a, b = _tokens(expected), _tokens(predicted)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(1 for w in short if any(_same_word(w, x) for x in long))
    needed = 1 if len(short) == 1 and len(long) <= 2 else 2
    return shared >= min(needed, len(short)) and shared / len(short) >= MIN_TOKEN_SHARE


def region_code(name: str | None, kind: str | None = None) -> str | None:
    if not name:
        return None
    text = re.sub(r"\s*\(.*?\)", "", name).strip()
    region = gazetteer().resolve(text, kind)
    return region.code if region else None


def region_match(expected: str | None, predicted: str | None) -> bool:
    a, b = region_code(expected), region_code(predicted)
    if a and b:
        return a == b
    return bool(expected and predicted) and expected.strip().lower() == predicted.strip().lower()


def province_match(expected: str | None, predicted: str | None) -> bool:
    a, b = region_code(expected, "provinsi"), region_code(predicted, "provinsi")
    if a and b:
        return a == b
    return bool(expected and predicted) and expected.strip().lower() == predicted.strip().lower()


def program_match(expected: str | None, predicted: str | None) -> bool:
    """A programme agrees when it is the annotated one, or one of "PKA dan PKP"."""
    if not expected or not predicted:
        return False
    return predicted in [p.strip() for p in expected.split(" dan ")]


def person_key(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", name.lower()) if w not in TITLES]


def person_match(expected: dict, predicted: dict) -> bool:
    a, b = person_key(expected.get("name") or ""), person_key(predicted.get("name") or "")
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_same_word(w, x) for x in long) for w in short)


def unit_key(name: str) -> tuple[str, str, bool] | None:
    """(canonical unit, area name, whether the alias table knows the unit) of a unit's name."""
    units = find_units(name)
    if not units:
        return None
    unit = units[0]
    return unit.canonical, (unit.area_name or "").lower(), unit.known


def unit_match(expected: str | None, predicted: str | None) -> bool:
    """Units agree through the alias table; a unit it does not know agrees on its words."""
    if not expected or not predicted:
        return False
    a, b = unit_key(expected), unit_key(predicted)
    if a and b and a[:2] == b[:2]:
        return True
    if a and b and a[2] and b[2]:
        return False
    return text_match(expected, predicted)


def award_match(expected: dict, predicted: dict) -> bool:
    a, b = expected.get("name") or "", predicted.get("name") or ""
    known_a, known_b = canonical_award(a), canonical_award(b)
    if known_a and known_b:
        return known_a[0] == known_b[0]
    return text_match(a, b)


def group_match(expected: dict, predicted: dict) -> bool:
    """Groups agree on their topic; where either has no topic, on the unit they visited."""
    if expected.get("topic") and predicted.get("topic"):
        return text_match(expected["topic"], predicted["topic"])
    return unit_match(expected.get("host_unit"), predicted.get("host_unit"))


def practice_match(expected: str, predicted: str) -> bool:
    return text_match(expected, predicted)


SCALAR_MATCH: dict[str, Callable[[Any, Any], bool]] = {
    "host_region": region_match,
    "host_province": province_match,
    "program": program_match,
    "organiser": text_match,
}
LIST_MATCH: dict[str, Callable[[Any, Any], bool]] = {
    "groups": group_match,
    "awards": award_match,
    "people": person_match,
    "host_units": unit_match,
    "practices": practice_match,
}


# --- predictions in the annotation schema -----------------------------------------------------


def predictions(facts: FactSet) -> dict[str, Any]:
    """A FactSet in the annotations' schema, so the two can be compared field by field."""
    visit = facts.visit
    site = facts.site
    return {
        "host_region": site.region if site else None,
        "host_province": site.province if site else None,
        "program": visit.program if visit else None,
        "cohort": visit.cohort if visit else None,
        "year": facts.year,
        "visit_date": visit.start_date.isoformat() if visit and visit.start_date else None,
        "participant_count": visit.participant_count if visit else None,
        "organiser": visit.organiser if visit else None,
        "groups": [{"group": g.group_no, "topic": g.topic, "host_unit": g.host_unit} for g in facts.groups],
        "awards": [{"name": a.award, "giver": a.giver, "year": a.year} for a in facts.awards],
        "people": [{"name": p.name, "role": p.role} for p in facts.people],
        "host_units": [u.name for u in facts.host_units],
        "practices": [p.name + (f" ({p.expansion})" if p.expansion else "") for p in facts.practices],
    }


def gold_of(annotation: dict[str, Any]) -> dict[str, Any]:
    gold = {name: annotation.get(name) for name in SCALAR_FIELDS}
    for name in LIST_FIELDS:
        gold[name] = annotation.get("innovations" if name == "practices" else name) or []
    return gold


# --- scoring ------------------------------------------------------------------------------------


def score_scalar(
    score: FieldScore, doc: str, expected: Any, predicted: Any, report: ExtractionReport
) -> None:
    match = SCALAR_MATCH.get(score.name, lambda a, b: a == b)
    score.documents += 1
    agree = (expected is None and predicted is None) or (
        expected is not None and predicted is not None and match(expected, predicted)
    )
    if agree:
        score.agree += 1
        score.tp += expected is not None
        return
    score.fp += predicted is not None
    score.fn += expected is not None
    report.mismatches.append(Mismatch(doc, score.name, expected, predicted))


def score_list(
    score: FieldScore, doc: str, expected: list, predicted: list, report: ExtractionReport
) -> None:
    match = LIST_MATCH[score.name]
    score.documents += 1
    unused = list(range(len(predicted)))
    missed = []
    for item in expected:
        hit = next((i for i in unused if match(item, predicted[i])), None)
        if hit is None:
            missed.append(item)
        else:
            unused.remove(hit)
            score.tp += 1
    score.fn += len(missed)
    score.fp += len(unused)
    if not missed and not unused:
        score.agree += 1
    else:
        report.mismatches.append(Mismatch(doc, score.name, missed, [predicted[i] for i in unused]))


def evaluate_extraction(annotations_file: Path, docs_folder: Path) -> ExtractionReport:
    """Read every annotated document, extract its facts and score them against the annotations."""
    from extract.errors import ReadError
    from extract.read import read_path

    annotations = json.loads(Path(annotations_file).read_text(encoding="utf-8"))
    fields = {name: FieldScore(name, "scalar") for name in SCALAR_FIELDS}
    fields.update({name: FieldScore(name, "list") for name in LIST_FIELDS})
    report = ExtractionReport(fields, documents=0)
    for doc_id, annotation in sorted(annotations.items()):
        path = Path(docs_folder) / annotation["file"]
        try:
            predicted = predictions(extract_facts(read_path(path)))
        except (ReadError, OSError) as exc:
            report.read_errors.append(f"{annotation['file']}: {exc}")
            predicted = {name: None for name in SCALAR_FIELDS} | {name: [] for name in LIST_FIELDS}
        gold = gold_of(annotation)
        report.documents += 1
        for name in SCALAR_FIELDS:
            score_scalar(fields[name], doc_id, gold[name], predicted[name], report)
        for name in LIST_FIELDS:
            score_list(fields[name], doc_id, gold[name], predicted[name], report)
    return report


def format_report(report: ExtractionReport, *, show_mismatches: bool = False) -> str:
    """The report as a table: one line per field with accuracy, precision, recall and F1."""
    lines = [f"Extraction on {report.documents} documents",
             f"{'field':<18} {'accuracy':>8} {'precision':>9} {'recall':>7} {'F1':>6}  tp/fp/fn"]  # fmt: skip
    for score in report.fields.values():
        accuracy = f"{score.accuracy:8.2f}" if score.kind == "scalar" else f"{'':>8}"
        lines.append(
            f"{score.name:<18} {accuracy} {score.precision:9.2f} {score.recall:7.2f} {score.f1:6.2f}"
            f"  {score.tp}/{score.fp}/{score.fn}"
        )
    for error in report.read_errors:
        lines.append(f"read error: {error}")
    if show_mismatches:
        lines.append("")
        for m in report.mismatches:
            lines.append(f"{m.document} {m.field}: expected {m.expected!r} got {m.predicted!r}")
    return "\n".join(lines)
