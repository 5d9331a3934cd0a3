"""The JSON API under /api/: search, sites, compare, documents, facts and status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from lokus.web import documents, facts, schemas, sites
from lokus.web.params import SearchParams, search_params
from lokus.web.render import data_status
from lokus.web.searching import cached_search

router = APIRouter(prefix="/api")


@router.get("/search", response_model=list[schemas.SearchHit], tags=["search"])
def api_search(request: Request, params: Annotated[SearchParams, Query()]) -> list[dict]:
    """Documents best matching `q` (hybrid keyword + semantic search), best first, filtered.

    Each item has the keys `lokus search --json` prints, plus the document's details and its
    other matching passages.
    """
    query, filters, top = search_params(params)
    warehouse = request.app.state.warehouse
    with warehouse.reader() as conn:
        results, _ = cached_search(warehouse, conn, request.app.state.embedder, query, filters, top)
    return results


@router.get("/filters", tags=["search"])
def api_filters(request: Request) -> dict[str, list]:
    """The values each search filter offers."""
    with request.app.state.warehouse.reader() as conn:
        return facts.filter_options(conn)


@router.get("/documents/{document_id}", response_model=schemas.Document, tags=["documents"])
def api_document(request: Request, document_id: str) -> dict:
    """A document's details, text by page, tables and facts (each with page and evidence)."""
    with request.app.state.warehouse.reader() as conn:
        doc = documents.get_document(conn, document_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    doc.pop("source", None)
    doc.pop("details", None)
    return doc


@router.get("/facts", response_model=list[schemas.Fact], tags=["facts"])
def api_facts(
    request: Request,
    document_id: Annotated[str | None, Query(max_length=16)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict]:
    """Facts of one document, of one site, or all, optionally of one kind."""
    with request.app.state.warehouse.reader() as conn:
        return facts.list_facts(conn, document_id=document_id, kind=kind, site_id=site, limit=limit)


@router.get("/sites", response_model=list[schemas.SiteSummary], tags=["sites"])
def api_sites(request: Request) -> list[dict]:
    """Every host region, with how many visits and documents are about it."""
    with request.app.state.warehouse.reader() as conn:
        return sites.list_sites(conn)


@router.get("/sites/{site_id}", response_model=schemas.SiteProfile, tags=["sites"])
def api_site(request: Request, site_id: str) -> dict:
    """A host region's profile: visits, topics, units, awards, practices, metrics, people."""
    with request.app.state.warehouse.reader() as conn:
        profile = sites.site_profile(conn, site_id)
    if profile is None:
        raise HTTPException(404, "no such site")
    return profile


@router.get("/compare", response_model=list[schemas.SiteProfile], tags=["sites"])
def api_compare(
    request: Request, site: Annotated[list[str], Query(min_length=2, max_length=3)]
) -> list[dict]:
    """Two or three site profiles, in the order asked."""
    with request.app.state.warehouse.reader() as conn:
        profiles = [sites.site_profile(conn, s) for s in site]
    missing = [s for s, p in zip(site, profiles, strict=True) if p is None]
    if missing:
        raise HTTPException(404, f"no such site: {', '.join(missing)}")
    return profiles


@router.get("/charts", tags=["sites"])
def api_charts(request: Request) -> dict:
    """The numbers behind the charts: visits per year and per host region, topics per year."""
    with request.app.state.warehouse.reader() as conn:
        return sites.chart_data(conn)


@router.get("/status", response_model=schemas.Status, tags=["status"])
def api_status(request: Request) -> dict:
    """Whether data has been published, how many documents, and as of when."""
    config = request.app.state.config
    status = data_status(request)
    return {
        "published": status is not None,
        "documents": status["documents"] if status else None,
        "as_of": status["as_of"] if status else None,
        "read_only": config.read_only,
        "sql": not config.read_only,
    }
