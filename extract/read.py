"""Read any supported document: sniff the format from its bytes, then call its reader."""

from __future__ import annotations

import re
from email.message import Message
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from extract.errors import CorruptDocument, EmptyDocument, TooLarge, UnsupportedFormat
from extract.language import detect_language
from extract.model import Document
from extract.readers import read_html, read_pdf, read_text

SUPPORTED_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".txt", ".md", ".markdown"})
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}

# Signatures of common files that are none of our formats, named for the error message.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media file (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/ODT)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office file (DOC/XLS/PPT)"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable (ELF)"),
    (b"MZ", "Windows executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%!PS", "PostScript file"),
    (b"\x00\x00\x00", "binary file"),
)
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # readers accept a PDF header a little after the start
SNIFF_BYTES = 8192
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(html|head|body|title|meta|div|p|table|article|h[1-6])[\s>/]", re.I)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _content_type(content_type: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header value."""
    if not content_type:
        return None, None
    message = Message()
    message["content-type"] = content_type
    return message.get_content_type(), message.get_param("charset")


def _suffix(source_uri: str) -> str:
    path = urlparse(source_uri).path if "://" in source_uri else source_uri
    return PurePosixPath(unquote(path).replace("\\", "/")).suffix.lower()


def _looks_binary(head: bytes) -> bool:
    """Many NUL or control bytes: not text in any 8-bit or UTF-8 encoding."""
    if not head or head.startswith(_UTF16_BOMS):
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return head.count(0) > 0 or controls / len(head) > 0.05


def sniff_format(data: bytes, source_uri: str = "", content_type: str | None = None) -> str:
    """'pdf', 'html' or 'text' from the bytes first, then the content type and file suffix.

    Raises UnsupportedFormat for other binary files, CorruptDocument for a file that is
    declared a PDF but has no PDF header.
    """
    head = data[:SNIFF_BYTES]
    if PDF_MAGIC in head[:PDF_MAGIC_WINDOW]:
        return "pdf"
    media_type, _charset = _content_type(content_type)
    suffix = _suffix(source_uri)
    declared_pdf = media_type == "application/pdf" or suffix in PDF_SUFFIXES
    for signature, name in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise UnsupportedFormat(f"unsupported format: {name}, not a PDF, HTML or text file")
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    if _looks_binary(head):
        if declared_pdf:
            raise CorruptDocument("truncated or malformed PDF: no %PDF- header")
        raise UnsupportedFormat("unsupported format: binary data, not a PDF, HTML or text file")
    if declared_pdf:
        raise CorruptDocument("not a PDF: declared as PDF but the file has no %PDF- header")
    html_declared = media_type in ("text/html", "application/xhtml+xml") or suffix in HTML_SUFFIXES
    if html_declared or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return "text"


def read_bytes(
    data: bytes,
    source_uri: str,
    *,
    content_type: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Read a PDF, HTML page or text file from its bytes into a Document.

    Raises a ReadError subclass: EmptyDocument, EncryptedDocument, CorruptDocument,
    UnsupportedFormat or TooLarge, with a message for a person.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise TooLarge(f"file is {_megabytes(len(data))}, over the {_megabytes(max_bytes)} limit")
    if not data:
        raise EmptyDocument("file is empty (0 bytes)")
    doc_format = sniff_format(data, source_uri, content_type)
    _media_type, charset = _content_type(content_type)
    if doc_format == "pdf":
        document = read_pdf(data, source_uri)
    elif doc_format == "html":
        document = read_html(data, source_uri, declared_charset=charset)
    else:
        document = read_text(data, source_uri, declared_charset=charset)
    document.language = detect_language(document.text)
    return document


def read_path(path: Path, *, max_bytes: int | None = None) -> Document:
    """Read a local file; its source_uri is the resolved absolute path."""
    path = Path(path).resolve()
    if max_bytes is not None:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit")
    return read_bytes(path.read_bytes(), str(path), max_bytes=max_bytes)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
