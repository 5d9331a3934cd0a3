"""Facts extracted from one document. Every fact carries its page, evidence sentence and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Site:
    """The region a document is about (the lokus), resolved through the gazetteer."""

    region: str  # "Kota Tangerang", "Provinsi Bali"
    code: str
    province: str
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Visit:
    """A benchmarking visit: who (programme, cohort, organiser) visited which host, when."""

    program: str | None
    cohort: int | None
    year: int | None
    year_source: str | None  # stated | inferred
    organiser: str | None
    host_region: str | None
    host_region_code: str | None
    host_province: str | None
    start_date: date | None
    end_date: date | None
    date_source: str | None  # stated | inferred
    participant_count: int | None
    origins_total: int | None  # the sum of the participant origins' counts, when all have one
    origins_consistent: bool | None  # origins_total == participant_count; None when not checkable
    reasons: tuple[str, ...]
    page: int
    evidence: str
    confidence: float
    programs: tuple[str, ...] = ()  # every programme named, when more than one takes part


@dataclass(frozen=True)
class Group:
    """A group (kelompok) of the visit: its number, topic and the unit(s) it studied."""

    group_no: int | None
    topic: str | None
    host_unit: str | None
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class ParticipantOrigin:
    """Where participants came from, and how many, as stated."""

    origin: str
    region_code: str | None
    participants: int | None
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class HostUnit:
    """An agency or area of the host visited: canonical name through the alias table."""

    name: str  # "Bappeda Kota Tangerang", "Kecamatan Karawaci"
    canonical: str  # alias-table key: "Bappeda", "Kecamatan"
    surface: str
    region: str | None
    region_code: str | None
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Award:
    """An award: name, who gave it, when, and who received it."""

    award: str
    giver: str | None
    year: int | None
    recipient: str | None
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Practice:
    """A practice or innovation of a host, with its acronym expansion when the text gives one."""

    name: str
    expansion: str | None
    host_region: str | None
    host_unit: str | None
    summary: str
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Person:
    """A named person and their role as the text states it."""

    name: str
    role: str | None
    page: int
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Metric:
    """A number with its unit and what it measures."""

    subject: str | None
    indicator: str
    value: float | None
    unit: str | None
    period: str | None
    page: int
    evidence: str
    confidence: float
    value_text: str | None = None  # a grade or opinion ("WTP", "A") where the value is not a number


@dataclass(frozen=True)
class DateFact:
    """A date found in the document, resolved to the calendar, with how (stated / inferred)."""

    start: date
    end: date | None
    source: str
    role: str  # visit | event | statement | dateline
    surface: str
    page: int
    evidence: str
    confidence: float


@dataclass
class FactSet:
    """Everything extracted from one document."""

    document_id: str
    site: Site | None = None
    year: int | None = None
    visits: list[Visit] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    origins: list[ParticipantOrigin] = field(default_factory=list)
    host_units: list[HostUnit] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # extractor failures, one line each

    @property
    def visit(self) -> Visit | None:
        return self.visits[0] if self.visits else None
