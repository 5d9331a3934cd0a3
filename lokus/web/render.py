"""Rendering a page: the template, the visitor's language and the footer's data status."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from lokus.web import i18n
from lokus.web.reader import NotPublished
from warehouse.db import WarehouseError


def data_status(request: Request) -> dict | None:
    """Documents served and when the last ingest run finished (None before any publish)."""
    warehouse = request.app.state.warehouse

    def compute() -> dict:
        n_docs = conn.execute("SELECT count(*) FROM documents WHERE status = 'active'").fetchone()[0]
        last = conn.execute(
            "SELECT max(finished_at) FROM ingest_runs WHERE status = 'completed'"
        ).fetchone()[0]
        return {"documents": n_docs, "as_of": last.strftime("%Y-%m-%d %H:%M") if last else None}

    try:
        with warehouse.reader() as conn:
            return warehouse.memo(("status",), compute)
    except (NotPublished, WarehouseError):
        return None


def with_params(request: Request, **changes: str) -> str:
    """This page's path and query with some parameters replaced (a relative link)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return request.url.path + ("?" + urlencode(items) if items else "")


def render(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    """A template rendered in the visitor's language (`?lang=` or cookie, Indonesian by default)."""
    lang = i18n.pick_lang(request)
    other = "en" if lang == "id" else "id"
    full = {
        "lang": lang,
        "t": i18n.translator(lang),
        "config": request.app.state.config,
        "path": request.url.path,
        "lang_url": with_params(request, lang=other),
        "data_status": data_status(request),
        **context,
    }
    return request.app.state.templates.TemplateResponse(request, template, full, status_code=status_code)
