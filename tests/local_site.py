"""A small website on 127.0.0.1 for fetch and discovery tests, with faults on purpose.

Routes map a path to a handler `(Request) -> Reply`. Helpers build the usual ones: a static
document with ETag / Last-Modified (answering 304 to conditional requests), a redirect, a
server error that recovers after N tries, a slow page, a body cut short, and an endless stream
that counts how many bytes it managed to send. Every request is logged with its headers.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    started: float


@dataclass
class Reply:
    """What to answer: a body of bytes, or an iterable streamed with chunked encoding."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    declared_length: int | None = None  # Content-Length to claim (a lie makes a cut-off body)


Handler = Callable[[Request], Reply]


class Site:
    """A threaded HTTP/1.1 server; use as a context manager, then `site.url('/path')`."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()  # body bytes written per path
        self.in_flight = 0
        self.max_in_flight = 0
        self.release = threading.Event()  # set on exit, so slow handlers stop waiting
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> Site:
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out without a 40 ms stall

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                site._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _serve(self, http: BaseHTTPRequestHandler) -> None:
        request = Request(http.path, {k.lower(): v for k, v in http.headers.items()},
                          time.monotonic())
        with self._lock:
            self.requests.append(request)
            self.hits[http.path] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            handler = self.routes.get(http.path.split("?")[0])
            reply = handler(request) if handler else Reply(404, {}, b"not found")
            self._write(http, reply)
        except (BrokenPipeError, ConnectionResetError):
            http.close_connection = True
        finally:
            with self._lock:
                self.in_flight -= 1

    def _write(self, http: BaseHTTPRequestHandler, reply: Reply) -> None:
        http.send_response(reply.status)
        for name, value in reply.headers.items():
            http.send_header(name, value)
        path = http.path
        if isinstance(reply.body, bytes):
            length = reply.declared_length if reply.declared_length is not None else len(reply.body)
            http.send_header("Content-Length", str(length))
            http.end_headers()
            http.wfile.write(reply.body)
            self._count(path, len(reply.body))
            if length != len(reply.body):
                http.close_connection = True
            return
        # A small send buffer keeps the bytes "in the pipe" small, so counts are honest.
        http.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        if reply.declared_length is not None:
            http.send_header("Content-Length", str(reply.declared_length))
        else:
            http.send_header("Transfer-Encoding", "chunked")
        http.end_headers()
        for chunk in reply.body:
            if reply.declared_length is None:
                http.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                http.wfile.write(chunk)
            self._count(path, len(chunk))
        if reply.declared_length is None:
            http.wfile.write(b"0\r\n\r\n")
        http.close_connection = True

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.sent[path] += n


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up (the fetcher refusing a body) is expected; report the rest."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# -- handler builders -----------------------------------------------------------------------------


def document(body: bytes, content_type: str, *, validators: bool = True) -> Handler:
    """A static document; with validators it has an ETag and Last-Modified and answers 304."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    modified = formatdate(1_700_000_000, usegmt=True)

    def handle(request: Request) -> Reply:
        headers = {"Content-Type": content_type}
        if validators:
            headers |= {"ETag": etag, "Last-Modified": modified}
            if request.headers.get("if-none-match") == etag or (
                "if-none-match" not in request.headers
                and request.headers.get("if-modified-since") == modified
            ):
                return Reply(304, {"ETag": etag})
        return Reply(200, headers, body)

    return handle


def redirect(to: str, status: int = 301) -> Handler:
    return lambda request: Reply(status, {"Location": to}, b"")


def failing(times: int, then: Handler, status: int = 500, headers: dict | None = None) -> Handler:
    """Answers `status` for the first `times` requests, then behaves like `then`."""
    count = {"n": 0}
    lock = threading.Lock()

    def handle(request: Request) -> Reply:
        with lock:
            count["n"] += 1
            n = count["n"]
        if n <= times:
            return Reply(status, dict(headers or {}), b"temporarily broken")
        return then(request)

    return handle


def slow(seconds: float, then: Handler, site: Site) -> Handler:
    """Waits before answering (or until the site shuts down)."""

    def handle(request: Request) -> Reply:
        site.release.wait(seconds)
        return then(request)

    return handle


def endless(total: int, *, declare: bool) -> Handler:
    """Streams `total` bytes of zeros (300 MB in the size-limit test), counting what is sent."""
    chunk = b"\0" * (64 * 1024)

    def body() -> Iterable[bytes]:
        remaining = total
        while remaining > 0:
            piece = chunk if remaining >= len(chunk) else chunk[:remaining]
            remaining -= len(piece)
            yield piece

    def handle(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "application/pdf"}, body(),
                     declared_length=total if declare else None)

    return handle


def cut_short(body: bytes, content_type: str) -> Handler:
    """Claims the full length but sends only half the body, then closes the connection."""
    return lambda request: Reply(200, {"Content-Type": content_type}, body[: len(body) // 2],
                                 declared_length=len(body))


def pdf_bytes(*lines: str) -> bytes:
    """A small real PDF with these lines of text (fpdf2, core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
