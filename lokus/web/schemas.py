"""Response shapes of the JSON API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Passage(BaseModel):
    page: int
    snippet: str
    chunk_id: str


class SearchHit(BaseModel):
    """One matching document. The first seven keys are exactly those of `lokus search --json`."""

    model_config = ConfigDict(extra="allow")

    rank: int
    score: float
    document_id: str
    source_uri: str
    title: str | None
    page: int
    snippet: str
    doc_type: str | None = None
    published_date: str | None = None
    host_region: str | None = None
    host_province: str | None = None
    host_site_id: str | None = None
    host_units: list[str] = []
    program: str | None = None
    visit_date: str | None = None
    passages: list[Passage] = []
    url: str


class Fact(BaseModel):
    """A fact with the place it came from: document, page and the evidence sentence."""

    model_config = ConfigDict(extra="allow")

    kind: str
    value: str
    document_id: str
    page: int | None
    evidence: str | None
    confidence: float | None = None
    data: dict[str, Any] = {}


class Table(BaseModel):
    page: int
    table: int
    rows: list[list[str | None]]


class PageText(BaseModel):
    page: int
    text: str


class Document(BaseModel):
    model_config = ConfigDict(extra="allow")

    document_id: str
    source_uri: str
    canonical_url: str | None
    title: str | None
    doc_type: str
    published_date: Any = None
    language: str | None
    status: str
    page_count: int | None
    pages: list[PageText]
    tables: list[Table]
    facts: list[Fact]


class SiteSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    site_id: str
    region: str
    province: str | None
    visits: int
    documents: int


class SiteProfile(BaseModel):
    """A host region's profile: every list item carries document_id, page and evidence."""

    model_config = ConfigDict(extra="allow")

    site_id: str
    region: str
    province: str | None
    visits: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    units: list[dict[str, Any]]
    awards: list[dict[str, Any]]
    practices: list[dict[str, Any]]
    metrics: list[dict[str, Any]]
    people: list[dict[str, Any]]
    origins: list[dict[str, Any]]
    documents: list[dict[str, Any]]


class Status(BaseModel):
    published: bool
    documents: int | None = None
    as_of: str | None = None
    read_only: bool
    sql: bool
