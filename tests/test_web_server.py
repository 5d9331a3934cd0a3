"""`lokus serve`: the real command in its own process, on 127.0.0.1 by default."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import test_web_fixtures as fx

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return fx.shared_warehouse(tmp_path_factory.getbasetemp())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_read_only_on_loopback(db):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lokus.cli", "serve", "--db", str(db), "--port", str(port), "--read-only"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status = httpx.get(f"{base}/api/status", timeout=5).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
        assert status == {"published": True, "documents": 4, "as_of": status["as_of"], "read_only": True,
                          "sql": False}
        assert httpx.get(f"{base}/", params={"q": "arsip"}).status_code == 200
        assert httpx.post(f"{base}/api/sql", json={"sql": "SELECT 1"}).status_code == 405
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"Uvicorn running on http://127.0.0.1:{port}" in output
