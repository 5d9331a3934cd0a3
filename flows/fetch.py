"""Fetching documents over HTTP politely and safely, and local files with the same contract.

`Fetcher.fetch` makes conditional requests (ETag / Last-Modified), retries transient faults
(connect errors, timeouts, 429 and 5xx) with exponential backoff, limits concurrency and
spaces requests per host, obeys robots.txt, refuses bodies over a size limit while streaming,
and follows redirects, recording each hop. Bytes and Content-Type are passed through as they
came: sniffing and decoding belong to the reader (`extract.read.read_bytes`).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from extract.errors import FetchError, TooLarge

USER_AGENT = "LokusBot/0.1 (+knowledge base of benchmarking visits; respects robots.txt)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY_S = 60.0


class FetchFailed(FetchError):
    """Base of this module's fetch errors; `transient` says whether trying later may help."""

    transient = False

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class HttpStatusError(FetchFailed):
    """The server answered with an error status (404, 410, 500, ...)."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        reason = httpx.codes.get_reason_phrase(status) or "error"
        super().__init__(f"HTTP {status} {reason} for {url}", url=url)
        self.status = status
        self.retry_after = retry_after
        self.transient = status in TRANSIENT_STATUSES or status >= 500


class FetchTimeout(FetchFailed):
    """The server did not answer, or did not finish answering, in time."""

    transient = True


class ConnectionFailed(FetchFailed):
    """No connection could be made, or it broke before the response was complete."""

    transient = True


class RobotsDisallowed(FetchFailed):
    """robots.txt forbids this URL (or could not be fetched, which RFC 9309 treats as 'no')."""


class ResponseTooLarge(FetchFailed, TooLarge):
    """The body is over the size limit; it was refused without being read in full."""


class RedirectError(FetchFailed):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""


class UnsupportedURL(FetchFailed):
    """The URI is neither http(s) nor a local file path."""


class MissingFile(FetchFailed):
    """A local file named by a source does not exist (any more)."""


@dataclass
class FetchResult:
    """What one fetch returned. `content` is None when the server said 304 Not Modified."""

    url: str
    final_url: str
    status: int
    content: bytes | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1

    @property
    def sha256(self) -> str | None:
        """Hex SHA-256 of the content (None when not modified)."""
        return None if self.content is None else hashlib.sha256(self.content).hexdigest()


class _HostGate:
    """At most `limit` requests in flight to one host, their starts at least `delay` apart."""

    def __init__(self, limit: int, delay: float) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self.delay = delay

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


class Fetcher:
    """A thread-safe HTTP fetcher; share one per run so host limits apply across tasks."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        total_timeout: float | None = None,
        max_bytes: int = 200 * 1024 * 1024,
        retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        per_host_limit: int = 2,
        politeness_delay: float = 1.0,
        respect_robots: bool = True,
        user_agent: str = USER_AGENT,
        max_redirects: int = 10,
        trust_env: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if per_host_limit < 1 or retries < 0 or max_bytes < 1:
            raise ValueError("per_host_limit >= 1, retries >= 0 and max_bytes >= 1 are required")
        self.timeout = timeout
        self.total_timeout = total_timeout if total_timeout is not None else max(10 * timeout, 60)
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.per_host_limit = per_host_limit
        self.politeness_delay = politeness_delay
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self.max_redirects = max_redirects
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent},
            trust_env=trust_env,
            transport=transport,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotFileParser | str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> Fetcher:
        """A Fetcher configured from Lokus settings (fields that are absent keep defaults)."""
        options: dict[str, Any] = {
            "timeout": settings.http_timeout_s,
            "max_bytes": settings.max_file_mb * 1024 * 1024,
        }
        for name, setting in (
            ("retries", "http_retries"),
            ("per_host_limit", "http_per_host"),
            ("politeness_delay", "http_delay_s"),
            ("user_agent", "http_user_agent"),
        ):
            if getattr(settings, setting, None) is not None:
                options[name] = getattr(settings, setting)
        return cls(**{**options, **overrides})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, uri: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch a URL (or read a local file), conditionally when etag/last_modified are given.

        Raises a FetchFailed subclass saying why; `exc.transient` tells whether to retry later.
        """
        scheme = urlsplit(uri).scheme.lower()
        if scheme in ("", "file"):
            return fetch_file(uri, etag=etag, last_modified=last_modified, max_bytes=self.max_bytes)
        if scheme not in ("http", "https"):
            raise UnsupportedURL(f"cannot fetch {uri!r}: only http(s) URLs and files", url=uri)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(uri, lambda: self._follow(uri, headers, self.max_bytes))

    def allowed(self, url: str) -> bool:
        """True when robots.txt lets this fetcher get `url` (always, if robots are ignored)."""
        if not self.respect_robots:
            return True
        rules = self._robots_for(url)
        return not isinstance(rules, str) and rules.can_fetch(self.user_agent, url)

    # -- requests -------------------------------------------------------------------------

    def _with_retries(self, url: str, attempt_once: Any) -> FetchResult:
        """Run one attempt, retrying transient failures with exponential backoff and jitter."""
        for attempt in range(self.retries + 1):
            try:
                result = attempt_once()
            except FetchFailed as exc:
                if not exc.transient or attempt == self.retries:
                    if attempt:
                        exc.args = (f"{exc.args[0]} (after {attempt + 1} attempts)",)
                    raise
                time.sleep(self._backoff(attempt, getattr(exc, "retry_after", None)))
                continue
            result.attempts = attempt + 1
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.backoff_max, self.backoff_base * 2**attempt)
        delay *= 0.5 + random.random() / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_max))
        return delay

    def _follow(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult:
        """One attempt: GET, following redirects (each hop checked against robots.txt)."""
        redirects: list[str] = []
        current = url
        while True:
            if not self.allowed(current):
                raise RobotsDisallowed(self._robots_reason(current), url=current)
            outcome = self._get_once(current, headers, max_bytes)
            if isinstance(outcome, FetchResult):
                outcome.url, outcome.redirects = url, redirects
                return outcome
            target = outcome
            if target in redirects or target == url:
                raise RedirectError(f"redirect loop at {target} (from {url})", url=url)
            redirects.append(target)
            if len(redirects) > self.max_redirects:
                raise RedirectError(f"more than {self.max_redirects} redirects from {url}", url=url)
            current = target

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult | str:
        """A single GET: a result, or the absolute URL a redirect points to."""
        deadline = time.monotonic() + self.total_timeout
        with self._gate(url).slot():
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    return self._handle(url, response, max_bytes, deadline)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"timed out fetching {url} ({_kind(exc)})", url=url) from exc
            except (httpx.TransportError, httpx.StreamError) as exc:
                raise ConnectionFailed(f"network error fetching {url}: {_kind(exc)}", url=url) from exc
            except httpx.InvalidURL as exc:
                raise UnsupportedURL(f"invalid URL {url!r}: {exc}", url=url) from exc

    def _handle(
        self, url: str, response: httpx.Response, max_bytes: int, deadline: float
    ) -> FetchResult | str:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise RedirectError(f"HTTP {status} redirect without Location from {url}", url=url)
            return _without_fragment(urljoin(str(response.url), location.strip()))
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        content_type = response.headers.get("content-type")
        if status == 304:
            return FetchResult(url, url, 304, None, content_type, etag, last_modified, True)
        if status >= 400 or status < 200:
            raise HttpStatusError(url, status, _retry_after(response.headers.get("retry-after")))
        content = _read_limited(response, url, max_bytes, deadline)
        return FetchResult(url, url, status, content, content_type, etag, last_modified, False)

    def _gate(self, url: str) -> _HostGate:
        host = _origin(url)
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(self.per_host_limit, self.politeness_delay)
            return gate

    # -- robots.txt -----------------------------------------------------------------------

    def _robots_for(self, url: str) -> RobotFileParser | str:
        """The parsed robots.txt of the URL's origin, or a string saying why all is refused."""
        origin = _origin(url)
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
            return self._robots[origin]

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        robots_url = origin + "/robots.txt"
        try:
            result = self._with_retries(
                robots_url, lambda: self._follow_robots(robots_url)
            )
        except HttpStatusError as exc:
            if 400 <= exc.status < 500:  # RFC 9309: no robots.txt (4xx) means no restrictions
                return _parse_robots("")
            return f"robots.txt unavailable ({exc}); RFC 9309 says to fetch nothing"
        except FetchFailed as exc:
            return f"robots.txt unreachable ({exc}); RFC 9309 says to fetch nothing"
        text = (result.content or b"").decode("utf-8", errors="replace")
        rules = _parse_robots(text)
        delay = rules.crawl_delay(self.user_agent)
        if delay:
            gate = self._gate(origin)
            gate.delay = max(gate.delay, min(float(delay), MAX_CRAWL_DELAY_S))
        return rules

    def _follow_robots(self, robots_url: str) -> FetchResult:
        """GET robots.txt, following up to five redirects (RFC 9309), without a robots check."""
        current = robots_url
        for _ in range(6):
            outcome = self._get_once(current, {}, ROBOTS_MAX_BYTES)
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome
        raise RedirectError(f"too many redirects for {robots_url}", url=robots_url)

    def _robots_reason(self, url: str) -> str:
        rules = self._robots_for(url)
        if isinstance(rules, str):
            return f"not fetching {url}: {rules}"
        return f"robots.txt of {_origin(url)} disallows {url} for {self.user_agent.split('/')[0]}"


def fetch_file(
    path: str, *, etag: str | None = None, last_modified: str | None = None, max_bytes: int
) -> FetchResult:
    """Read a local file like a fetch: its 'ETag' is size and mtime, so unchanged is free."""
    file = Path(path.removeprefix("file://")).expanduser()
    try:
        stat = file.stat()
    except FileNotFoundError:
        raise MissingFile(f"file not found: {file}", url=path) from None
    except OSError as exc:
        raise FetchFailed(f"cannot read {file}: {exc.strerror or exc}", url=path) from exc
    if not S_ISREG(stat.st_mode):
        raise UnsupportedURL(f"{file} is not a regular file", url=path)
    tag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    modified = formatdate(stat.st_mtime, usegmt=True)
    if etag is not None and etag == tag:
        return FetchResult(path, path, 304, None, None, tag, modified, True)
    if stat.st_size > max_bytes:
        raise ResponseTooLarge(
            f"{file} is {stat.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
            url=path,
        )
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise FetchFailed(f"cannot read {file}: {exc.strerror or exc}", url=path) from exc
    return FetchResult(path, str(file), 200, content, None, tag, modified, False)


@lru_cache(maxsize=8)
def shared_fetcher(max_bytes: int, timeout: float) -> Fetcher:
    """One Fetcher per process and configuration, so per-host limits span concurrent tasks."""
    from lokus.settings import get_settings

    return Fetcher.from_settings(get_settings(), max_bytes=max_bytes, timeout=timeout)


def fetch_document(
    uri: str,
    *,
    max_bytes: int,
    timeout: float,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Fetch one document with the process's shared Fetcher (see `Fetcher.fetch`)."""
    return shared_fetcher(max_bytes, timeout).fetch(uri, etag=etag, last_modified=last_modified)


def _read_limited(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The body, refused as soon as it is known to exceed max_bytes (header or bytes so far)."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(
            f"{url} declares {int(declared) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB "
            "limit; not downloaded",
            url=url,
        )
    body = bytearray()
    for chunk in response.iter_bytes(chunk_size=64 * 1024):
        if len(body) + len(chunk) > max_bytes:
            raise ResponseTooLarge(
                f"{url} is over the {max_bytes / 1e6:.1f} MB limit; download stopped at "
                f"{(len(body) + len(chunk)) / 1e6:.1f} MB",
                url=url,
            )
        body += chunk
        if time.monotonic() > deadline:
            raise FetchTimeout(f"{url} took too long to download (over the total timeout)", url=url)
    return bytes(body)


def _parse_robots(text: str) -> RobotFileParser:
    rules = RobotFileParser()
    rules.parse(text.splitlines())
    return rules


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _kind(exc: Exception) -> str:
    """A short description of an httpx exception: its class and message."""
    text = str(exc)
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__
