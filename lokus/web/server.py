"""`lokus serve`: run the web app with uvicorn (127.0.0.1 by default)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    db_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    read_only: bool = False,
) -> None:
    """Serve the published copy of the warehouse at `db_path` until interrupted.

    The app reopens the published copy after each ingest run, so it can keep running while
    scheduled ingestion writes the working file. `read_only` turns off the SQL workspace and
    every non-GET request.
    """
    import uvicorn

    from lokus.web.app import create_app

    app = create_app(db_path, read_only=read_only)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
