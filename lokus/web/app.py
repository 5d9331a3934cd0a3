"""The web app: server-rendered pages for participants, a JSON API and an SQL workspace.

`create_app(db_path)` serves the published copy of the warehouse at `db_path` read-only and
follows each new publish (see `lokus.web.reader`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from lokus.web import i18n
from lokus.web.reader import NotPublished, PublishedWarehouse
from lokus.web.searching import EmbedderSlot
from search.errors import SearchError
from warehouse.db import WarehouseError

HERE = Path(__file__).parent
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class WebConfig:
    """How the app serves: read-only mode and the SQL workspace's limits."""

    read_only: bool = False
    sql_max_rows: int = 5_000
    sql_timeout_s: float = 10.0
    model: str | None = None


def create_app(
    db_path: str | Path,
    read_only: bool = False,
    *,
    sql_max_rows: int = 5_000,
    sql_timeout_s: float = 10.0,
    model: str | None = None,
) -> FastAPI:
    """The Lokus web app over the published copy of the warehouse at `db_path`.

    `read_only` turns off everything but reading documents: the SQL workspace and every
    request method other than GET/HEAD/OPTIONS.
    """
    config = WebConfig(read_only, sql_max_rows, sql_timeout_s, model)
    app = FastAPI(
        title="Lokus",
        description="Benchmarking best practices: search, sites, documents, facts and read-only SQL.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads its script from a CDN; /api lists the API instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.warehouse = PublishedWarehouse(db_path)
    app.state.embedder = EmbedderSlot(model)
    app.state.templates = make_templates()
    app.state.sql_slots = threading.BoundedSemaphore(2)  # analysts' queries running at once
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from lokus.web import routes_api, routes_pages, routes_sql

    app.include_router(routes_pages.router)
    app.include_router(routes_api.router)
    app.include_router(routes_sql.router)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if config.read_only and request.method not in SAFE_METHODS:
            return JSONResponse({"detail": "this server is read-only"}, status_code=405)
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        lang = request.query_params.get("lang")
        if lang in i18n.LANGS and request.cookies.get(i18n.COOKIE) != lang:
            response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
        return response

    @app.exception_handler(NotPublished)
    async def not_published(request: Request, exc: NotPublished):
        return error_response(request, 503, "error.not_published", str(exc))

    @app.exception_handler(WarehouseError)
    async def warehouse_error(request: Request, exc: WarehouseError):
        return error_response(request, 503, "error.title", str(exc))

    @app.exception_handler(SearchError)
    async def search_error(request: Request, exc: SearchError):
        return error_response(request, 503, "error.search", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        key = "error.not_found" if exc.status_code == 404 else "error.title"
        return error_response(request, exc.status_code, key, str(exc.detail))

    return app


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Close the warehouse's connections when the server stops."""
    yield
    app.state.warehouse.close()


def make_templates() -> Jinja2Templates:
    """Jinja templates with autoescaping on (all document text is untrusted)."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    return templates


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, key: str, detail: str) -> Response:
    """A JSON error under /api/, else the error page in the visitor's language."""
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    from lokus.web.render import render

    return render(request, "error.html", {"message_key": key, "detail": detail}, status_code=status)
