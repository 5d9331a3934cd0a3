"""Errors a reader raises for one bad document; the run records them and goes on."""


class ReadError(Exception):
    """A document could not be read. The message says why, for a person."""

    stage = "read"


class UnsupportedFormat(ReadError):
    """The bytes are not a PDF, HTML page or text file."""


class EmptyDocument(ReadError):
    """The file has no bytes, or no text could be found in it."""


class EncryptedDocument(ReadError):
    """The PDF is password-protected."""


class CorruptDocument(ReadError):
    """The file claims a format but cannot be parsed as it."""


class TooLarge(ReadError):
    """The file is over the configured size limit."""


class FetchError(ReadError):
    """A URL could not be fetched (dead link, HTTP error, timeout)."""

    stage = "fetch"
