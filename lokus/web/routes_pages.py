"""HTML pages for participants: search, document, sites, compare and charts."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from lokus.web import charts, documents, facts, sites
from lokus.web.highlight import find_span, mark_spans, mark_words
from lokus.web.params import SearchParams, search_params
from lokus.web.render import render
from lokus.web.searching import cached_search

router = APIRouter(include_in_schema=False)


@router.get("/")
def search_page(request: Request, params: Annotated[SearchParams, Query()]) -> Response:
    """The search box, filters and results grouped per document."""
    query, filters, top = search_params(params)
    warehouse = request.app.state.warehouse
    with warehouse.reader() as conn:
        options = warehouse.memo(("filters",), lambda: facts.filter_options(conn))
        results, is_match = cached_search(warehouse, conn, request.app.state.embedder, query, filters, top)
    for item in results:
        item["snippet_html"] = mark_words(item["snippet"], is_match)
        for passage in item["passages"]:
            passage["snippet_html"] = mark_words(passage["snippet"], is_match)
    return render(request, "search.html", {
        "query": query, "filters": filters, "options": options, "results": results,
        "reset_url": "/?" + urlencode({"q": query}) if query else "/",
    })


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str) -> Response:
    """A document's text by page, its tables and its facts with their evidence highlighted."""
    with request.app.state.warehouse.reader() as conn:
        doc = documents.get_document(conn, document_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    spans: dict[int, dict] = {}
    pages = {p["page"]: p for p in doc["pages"]}
    for fact in doc["facts"]:
        page = pages.get(fact.get("page"))
        found = find_span(page["text"], fact.get("evidence") or "") if page else None
        fact["located"] = found is not None
        if found:
            spans.setdefault(page["page"], {})[fact["anchor"]] = (*found, fact["anchor"])
    for page in doc["pages"]:
        page["html"] = mark_spans(page["text"], spans.get(page["page"], {}).values())
    return render(request, "document.html", {"doc": doc})


@router.get("/sites")
def sites_page(request: Request) -> Response:
    """Every host region with the visits and documents about it."""
    with request.app.state.warehouse.reader() as conn:
        listing = sites.list_sites(conn)
    return render(request, "sites.html", {"sites": listing})


@router.get("/sites/{site_id}")
def site_page(request: Request, site_id: str) -> Response:
    """One host region's profile; every item links to its evidence."""
    with request.app.state.warehouse.reader() as conn:
        profile = sites.site_profile(conn, site_id)
        listing = sites.list_sites(conn)
    if profile is None:
        raise HTTPException(404, "no such site")
    return render(request, "site.html", {"site": profile, "sites": listing})


@router.get("/compare")
def compare_page(
    request: Request, site: Annotated[list[str] | None, Query(max_length=3)] = None
) -> Response:
    """Two or three sites side by side."""
    chosen = [s for s in (site or []) if s][:3]
    with request.app.state.warehouse.reader() as conn:
        listing = sites.list_sites(conn)
        profiles = [p for p in (sites.site_profile(conn, s) for s in chosen) if p is not None]
    return render(request, "compare.html", {"sites": listing, "chosen": chosen, "profiles": profiles})


@router.get("/charts")
def charts_page(request: Request) -> Response:
    """Visits per year and per host region, topics over time."""
    with request.app.state.warehouse.reader() as conn:
        data = sites.chart_data(conn)
    return render(request, "charts.html", {
        "per_year": charts.bar_chart(data["per_year"]),
        "per_region": charts.hbar_chart(
            data["per_region"], links={r: f"/sites/{c}" for r, c in data["site_ids"].items()}
        ),
        "topics": charts.heatmap(data["topics"]),
        "data": data,
    })


@router.get("/api")
def api_page(request: Request) -> Response:
    """The JSON API's endpoints, read from the OpenAPI schema (served at /api/openapi.json)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            endpoints.append({
                "method": method.upper(), "path": path, "summary": spec.get("summary", ""),
                "description": (spec.get("description") or "").split("\n\n")[0],
                "params": [(p["name"], p["in"], p.get("required", False))
                           for p in spec.get("parameters", [])],
                "tag": (spec.get("tags") or ["other"])[0],
            })  # fmt: skip
    return render(request, "api.html", {"endpoints": endpoints, "version": schema["info"]["version"]})
