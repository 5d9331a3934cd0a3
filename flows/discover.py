"""Expanding a source into the URIs of its documents.

Folders are matched with glob patterns; URL lists, RSS/Atom feeds, sitemaps (and sitemap
indexes) and HTML index pages are fetched with a `Fetcher` and their links resolved to
absolute URLs. A source that cannot be reached at all raises `SourceUnreachable`; a part of it
that fails (one child sitemap) is reported as a Failure and makes the discovery incomplete.
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from flows.fetch import Fetcher, FetchFailed, FetchResult
from flows.sources import Source
from warehouse.runs import Failure

MAX_SITEMAPS = 1000
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's own limit, uncompressed
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


class DiscoveryError(Exception):
    """The source as a whole could not be listed; the run for it has failed."""

    stage = "discover"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(message)
        self.source = source


class SourceUnreachable(DiscoveryError):
    """The folder is missing, or the feed, sitemap or index page could not be fetched."""


class SourceInvalid(DiscoveryError):
    """The source was fetched but is not what its kind says (not a feed, not a sitemap)."""


@dataclass(frozen=True)
class Discovered:
    """One document a source lists: its URI and what the listing said about it."""

    uri: str
    title: str | None = None
    updated: str | None = None  # lastmod / updated as the feed or sitemap gave it
    found_on: str | None = None  # the feed, sitemap or page that listed it


@dataclass
class Discovery:
    """What a source lists now, and what went wrong while listing it."""

    source: Source
    items: list[Discovered] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def uris(self) -> list[str]:
        return [item.uri for item in self.items]

    @property
    def complete(self) -> bool:
        """True when every part of the source was listed without error."""
        return not self.failures

    @property
    def can_withdraw(self) -> bool:
        """True when documents missing from this listing may be marked withdrawn."""
        return self.complete and self.source.authoritative


def discover(source: Source, fetcher: Fetcher) -> Discovery:
    """List the documents of a source now (URIs deduplicated, in listing order)."""
    listers = {
        "folder": _folder,
        "urls": _urls,
        "feed": _feed,
        "sitemap": _sitemap,
        "index_page": _index_page,
    }
    discovery = Discovery(source)
    listers[source.kind](source, fetcher, discovery)
    unique: dict[str, Discovered] = {}
    for item in discovery.items:
        unique.setdefault(item.uri, item)
    discovery.items = list(unique.values())
    return discovery


# -- folders ----------------------------------------------------------------------------------


def _folder(source: Source, _fetcher: Fetcher, out: Discovery) -> None:
    root = Path(source.location or "")
    if not root.is_dir():
        raise SourceUnreachable(
            source.name, f"folder {root} not found or not a folder (is the share mounted?)"
        )
    patterns = [glob_regex(pattern) for pattern in source.patterns]
    for path in list_files(root):
        relative = path.relative_to(root).as_posix()
        if any(pattern.fullmatch(relative) for pattern in patterns):
            out.items.append(Discovered(str(path.resolve())))


def list_files(root: Path) -> list[Path]:
    """Regular files under root, sorted, skipping hidden files and folders (names with '.')."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file():
                found.append(path)
    return found


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A case-insensitive regex for a glob: '**/' any folders, '*' and '?' within a name."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


# -- URL lists and feeds ----------------------------------------------------------------------


def _urls(source: Source, _fetcher: Fetcher, out: Discovery) -> None:
    for url in source.urls:
        url = normalize_url(url)
        if source.matches(url):
            out.items.append(Discovered(url))


def _feed(source: Source, fetcher: Fetcher, out: Discovery) -> None:
    import feedparser

    result = _fetch_root(source, fetcher)
    parsed = feedparser.parse(
        io.BytesIO(result.content or b""),
        response_headers={
            "content-type": result.content_type or "application/xml",
            "content-location": result.final_url,
        },
        sanitize_html=False,
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom elements found"
        raise SourceInvalid(source.name, f"{result.final_url} is not an RSS/Atom feed: {reason}")
    for entry in parsed.entries:
        hrefs = [entry.get("link")]
        hrefs += [link.get("href") for link in entry.get("links", []) if link.get("rel") in
                  ("enclosure", "alternate")]
        hrefs += [enclosure.get("href") for enclosure in entry.get("enclosures", [])]
        updated = dict.get(entry, "updated") or dict.get(entry, "published")
        for href in hrefs:
            url = _absolute(result.final_url, href)
            if url and source.matches(url):
                out.items.append(Discovered(url, entry.get("title"), updated, result.final_url))


# -- sitemaps ---------------------------------------------------------------------------------


def _sitemap(source: Source, fetcher: Fetcher, out: Discovery) -> None:
    root = _fetch_root(source, fetcher)
    try:
        children = _read_sitemap(root, source, out)
    except ValueError as exc:
        raise SourceInvalid(source.name, f"{root.final_url} is not a sitemap: {exc}") from None
    seen = {root.final_url, source.location}
    queue = [(child, 1) for child in children]
    while queue:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if depth > MAX_SITEMAP_DEPTH or len(seen) > MAX_SITEMAPS:
            out.failures.append(Failure(url, "discover", "SitemapLimit",
                                        f"sitemap nesting or count over the limit at {url}"))
            continue
        try:
            result = fetcher.fetch(url)
            queue += [(child, depth + 1) for child in _read_sitemap(result, source, out)]
        except FetchFailed as exc:
            out.failures.append(Failure(url, "discover", exc.__class__.__name__, str(exc)))
        except ValueError as exc:
            out.failures.append(Failure(url, "discover", "SourceInvalid",
                                        f"{url} is not a sitemap: {exc}"))


def _read_sitemap(result: FetchResult, source: Source, out: Discovery) -> list[str]:
    """Add a urlset's documents to `out`; return a sitemap index's child sitemaps."""
    data = _gunzip(result.content or b"")
    text_start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if text_start != b"<":  # the protocol's plain-text form: one URL per line
        lines = data.decode("utf-8", errors="replace").split()
        urls = [line for line in lines if urlsplit(line).scheme in ("http", "https")]
        if not urls:
            raise ValueError("neither XML nor a list of URLs")
        out.items += [Discovered(normalize_url(u), found_on=result.final_url) for u in urls
                      if source.matches(normalize_url(u))]
        return []
    if b"<!ENTITY" in data[:4096].upper():
        raise ValueError("XML with entity declarations is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"invalid XML ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"root element is <{kind}>, not <urlset> or <sitemapindex>")
    children = []
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        url = _absolute(result.final_url, fields.get("loc"))
        if not url:
            continue
        if kind == "sitemapindex":
            children.append(url)
        elif source.matches(url):
            out.items.append(Discovered(url, None, fields.get("lastmod"), result.final_url))
    return children


def _gunzip(data: bytes) -> bytes:
    """Decompress a gzipped sitemap, refusing one that inflates past the protocol limit."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise ValueError(f"corrupt gzip ({exc})") from None
    if len(out) > MAX_SITEMAP_BYTES:
        raise ValueError(f"over {MAX_SITEMAP_BYTES // (1024 * 1024)} MB uncompressed")
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# -- HTML index pages -------------------------------------------------------------------------


class _LinkParser(HTMLParser):
    """Collects <a href> / <area href> links with their text, and the page's <base href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[int, list[str]]] = []  # (index into links, text parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag in ("a", "area") and values.get("href"):
            self.links.append((values["href"], values.get("title") or values.get("alt") or ""))
            if tag == "a":
                self._open.append((len(self.links) - 1, []))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            index, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.links[index] = (self.links[index][0], text)


def _index_page(source: Source, fetcher: Fetcher, out: Discovery) -> None:
    result = _fetch_root(source, fetcher)
    parser = _LinkParser()
    parser.feed(decode_html(result.content or b"", result.content_type))
    parser.close()
    base = urljoin(result.final_url, parser.base) if parser.base else result.final_url
    page = normalize_url(result.final_url)
    for href, text in parser.links:
        url = _absolute(base, href)
        if url and url != page and source.matches(url):
            out.items.append(Discovered(url, text or None, None, result.final_url))


def decode_html(data: bytes, content_type: str | None) -> str:
    """Page text good enough for links: declared charset, else <meta charset>, else UTF-8/1252."""
    candidates = [_charset(content_type or "")]
    head = data[:4096].decode("ascii", errors="replace")
    meta = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", head, re.IGNORECASE)
    candidates.append(meta.group(1) if meta else None)
    for charset in [*candidates, "utf-8"]:
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


# -- shared -----------------------------------------------------------------------------------


def _fetch_root(source: Source, fetcher: Fetcher) -> FetchResult:
    """Fetch the feed, sitemap or index page itself; failure means the source is unreachable."""
    try:
        return fetcher.fetch(source.location or "")
    except FetchFailed as exc:
        raise SourceUnreachable(source.name, f"source {source.name!r} unreachable: {exc}") from exc


def _absolute(base: str, href: str | None) -> str | None:
    """An absolute, normalised http(s) URL for a link, or None for mailto:, javascript:, #..."""
    if not href or not href.strip() or href.strip().startswith("#"):
        return None
    url = urljoin(base, href.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return normalize_url(url)


def normalize_url(url: str) -> str:
    """A URL without fragment, with a lowercase scheme and host and unsafe characters escaped."""
    parts = urlsplit(url.strip())
    path = quote(parts.path or "/", safe=URL_SAFE)
    query = quote(parts.query, safe=URL_SAFE)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))

