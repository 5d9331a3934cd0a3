"""Query parameters shared by the search page and the search API."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from lokus.web.searching import Filters


class SearchParams(BaseModel):
    """A search: the words, optional filters and how many documents to return."""

    q: str = Field("", max_length=500, description="What to look for, in Indonesian or English.")
    province: str | None = Field(None, max_length=200, description="Host province.")
    region: str | None = Field(None, max_length=200, description="Host region (kota/kabupaten).")
    program: str | None = Field(None, max_length=100, description="Training programme, e.g. PKA.")
    year_from: int | None = Field(None, ge=1900, le=2100, description="Visits or documents from this year.")
    year_to: int | None = Field(None, ge=1900, le=2100, description="... up to this year.")
    doc_type: str | None = Field(None, max_length=50, description="pdf, html, text or a fact kind.")
    top: int = Field(10, ge=1, le=50, description="How many documents.")

    @field_validator("province", "region", "program", "year_from", "year_to", "doc_type", mode="before")
    @classmethod
    def blank_is_none(cls, value):
        """An empty form field means no filter."""
        return None if isinstance(value, str) and not value.strip() else value


def search_params(params: SearchParams) -> tuple[str, Filters, int]:
    """The query text, the filters and the result count of a search request."""
    filters = Filters(
        province=params.province,
        region=params.region,
        program=params.program,
        year_from=params.year_from,
        year_to=params.year_to,
        doc_type=params.doc_type,
    )
    return params.q.strip(), filters, params.top
