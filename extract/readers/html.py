"""Read an HTML page: main text without boilerplate, title, date, canonical URL, tables."""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from datetime import date
from urllib.parse import urljoin, urlparse

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from extract.errors import CorruptDocument, EmptyDocument
from extract.model import Document, Page, Table
from extract.readers.dates import date_from_url, find_stated_date, make_date
from extract.readers.encoding import decode_bytes, html_declared_charset
from extract.readers.text import MAX_TITLE_CHARS, normalise_newlines

log = logging.getLogger(__name__)

# Only dates the page states in its markup (meta tags, <time>, JSON-LD): no guessing from
# stray years in the text. URL paths and datelines are checked separately.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
BOILERPLATE_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "iframe",
    "svg", "button", "select",
)  # fmt: skip
BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr",
    "pre", "blockquote", "table", "ul", "ol", "dl", "dt", "dd", "br", "figcaption", "address",
)  # fmt: skip
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u200b\r\f\v]+")


def _clean_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _clean_block(text: str) -> str:
    return "\n".join(line for line in (_clean_line(x) for x in text.split("\n")) if line)


def parse_html(text: str) -> lxml_html.HtmlElement:
    """An lxml document tree (comments and processing instructions removed)."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    return lxml_html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=parser)


def canonical_url(tree: lxml_html.HtmlElement, source_uri: str) -> str | None:
    """`<link rel="canonical">`, else `og:url`, made absolute; only http(s) addresses."""
    hrefs = [
        link.get("href", "")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    hrefs += tree.xpath("//meta[@property='og:url' or @name='og:url']/@content")
    base = source_uri if urlparse(source_uri).scheme in ("http", "https") else ""
    for href in hrefs:
        url = urljoin(base, href.strip()) if base else href.strip()
        if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc:
            return url
    return None


def _element_text(element: etree._Element) -> str:
    """Text of a trafilatura output element, with <lb/> as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _body_blocks(body: etree._Element) -> list[str]:
    """Paragraph-sized blocks of trafilatura's output tree (lists and tables kept together)."""
    blocks = []
    for child in body:
        if child.tag == "list":
            items = [_clean_line(_element_text(item)) for item in child.iter("item")]
            block = "\n".join(f"- {item}" for item in items if item)
        elif child.tag == "table":
            rows = [
                " | ".join(_clean_line(_element_text(cell)) for cell in row.iter("cell"))
                for row in child.iter("row")
            ]
            block = "\n".join(row for row in rows if row.strip(" |"))
        else:
            block = _clean_block(_element_text(child))
        if block:
            blocks.append(block)
    return blocks


def main_content(text: str, url: str | None) -> tuple[str, str | None, date | None]:
    """Main text (paragraphs separated by blank lines), title and stated date, by trafilatura."""
    try:
        result = trafilatura.bare_extraction(
            text,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params=DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError) as exc:
        log.warning("trafilatura failed on %s: %s", url, exc)
        return "", None, None
    if result is None:
        return "", None, None
    blocks = _body_blocks(result.body) if result.body is not None else []
    main = "\n\n".join(blocks) if blocks else _clean_block(result.text or "")
    stated = None
    if result.date:
        try:
            stated = make_date(*(int(part) for part in result.date[:10].split("-")))
        except ValueError:
            stated = None
    return main, (result.title or None), stated


def plain_body_text(tree: lxml_html.HtmlElement) -> str:
    """All visible body text, without scripts and navigation, one block per paragraph."""
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*BOILERPLATE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    body = tree.find("body")
    raw = (body if body is not None else tree).text_content()
    lines = [_clean_line(line) for line in raw.split("\n")]
    return "\n\n".join(line for line in lines if line)


def _cells(row: lxml_html.HtmlElement) -> list[str | None]:
    cells: list[str | None] = []
    for cell in row.xpath("./th|./td"):
        cells.append(_clean_line(cell.text_content()))
        try:
            span = min(int(cell.get("colspan", "1")), 50)
        except ValueError:
            span = 1
        cells.extend([None] * (span - 1))
    return cells


def html_tables(tree: lxml_html.HtmlElement) -> list[Table]:
    """Data tables as rows of cells; layout tables (holding tables) and menus are skipped."""
    tables = []
    for table in tree.iter("table"):
        if table.xpath(".//table") or table.xpath("ancestor::nav|ancestor::footer|ancestor::header"):
            continue
        rows = [_cells(row) for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]
        rows = [row for row in rows if any(row)]
        if sum(len(row) for row in rows) >= 2:
            tables.append(Table(page=1, index=len(tables), rows=rows))
    return tables


def _title(tree: lxml_html.HtmlElement, found: str | None, text: str) -> str | None:
    candidates = [found] + tree.xpath("//title/text()") + tree.xpath("//h1//text()")
    for candidate in candidates:
        if candidate and _clean_line(candidate):
            return _clean_line(candidate)[:MAX_TITLE_CHARS]
    first = text.strip().split("\n", 1)[0]
    return first[:MAX_TITLE_CHARS] or None


def read_html(data: bytes, source_uri: str, *, declared_charset: str | None = None) -> Document:
    """An HTML page as one page of main text; raises EmptyDocument if it has no text."""
    text, encoding = decode_bytes(data, declared_charset or html_declared_charset(data))
    if not text.strip():
        raise EmptyDocument("HTML page is empty")
    try:
        tree = parse_html(text)
    except etree.ParserError as exc:
        raise EmptyDocument(f"HTML page has no content: {exc}") from exc
    except (ValueError, etree.LxmlError) as exc:
        raise CorruptDocument(f"HTML could not be parsed: {exc}") from exc
    canonical = canonical_url(tree, source_uri)
    web_url = source_uri if urlparse(source_uri).scheme in ("http", "https") else None
    plain = plain_body_text(tree)
    if not plain.strip():
        raise EmptyDocument("HTML page has no readable text (only menus, scripts or nothing)")
    main, title, stated = main_content(text, canonical or web_url)
    extractor = "trafilatura"
    if not main.strip():
        main, extractor = plain, "plain"
    main = normalise_newlines(main)
    title = _title(tree, title, main)
    published = stated or date_from_url(canonical or web_url) or find_stated_date(main, skip=title)
    return Document(
        source_uri=source_uri,
        sha256=hashlib.sha256(data).hexdigest(),
        doc_type="html",
        pages=[Page(number=1, text=main)],
        title=title,
        canonical_url=canonical,
        published_date=published,
        tables=html_tables(tree),
        metadata={"encoding": encoding, "extractor": extractor},
        byte_size=len(data),
    )
