"""Errors of the search index and queries; each message says what to do."""


class SearchError(Exception):
    """Search could not run."""


class IndexMissing(SearchError):
    """The database has no search index yet."""


class IndexModelMismatch(SearchError):
    """The index was built with a different embedding model than the one given."""
