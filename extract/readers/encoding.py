"""Turn raw bytes into text: byte-order mark, declared charset, UTF-8, then detection."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Browsers read these labels as Windows-1252 (WHATWG Encoding Standard), and so do we.
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}

# Single-byte Latin code pages a detector may confuse with each other on mostly-ASCII text.
# Indonesian and English pages in one of them are almost always Windows-1252.
_LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_9",
    "iso8859_13", "iso8859_15", "mac_roman", "mac_latin2", "cp437", "cp850", "cp858",
}  # fmt: skip

# Legacy CJK and Cyrillic texts are mostly bytes >= 0x80; Indonesian or English text in a
# single-byte code page has only a few (quotes, dashes, accented names).
MAX_HIGH_BYTE_SHARE = 0.1

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)


def normalise_encoding(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if the label is unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    return "cp1252" if name in _AS_CP1252 else name


def html_declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (`<meta charset>` or XML prolog)."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` to text and say which encoding was used.

    Order: a byte-order mark; the declared charset (HTTP header or `<meta>`) unless it
    is UTF-8 and the bytes are not; strict UTF-8; Windows-1252 for mostly-ASCII bytes;
    charset-normalizer's guess (a Latin single-byte guess is read as Windows-1252);
    Windows-1252 with replacement characters.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    codec = normalise_encoding(declared)
    if codec and codec != "utf_8":
        return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    if sum(1 for byte in data if byte >= 0x80) <= len(data) * MAX_HIGH_BYTE_SHARE:
        try:  # mostly ASCII with a few other bytes: Western text, not a CJK encoding
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        codec = normalise_encoding(guess.encoding) or "cp1252"
        if codec in _LATIN_SINGLE_BYTE:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        return str(guess), codec
    return data.decode("cp1252", errors="replace"), "cp1252"
