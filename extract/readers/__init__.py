"""One reader per format; each turns raw bytes into a Document or raises a ReadError."""

from extract.readers.html import read_html
from extract.readers.pdf import read_pdf
from extract.readers.text import read_text

__all__ = ["read_html", "read_pdf", "read_text"]
