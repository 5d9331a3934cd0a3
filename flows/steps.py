"""The ingest pipeline's steps as plain functions; `flows/ingest.py` runs them as Prefect tasks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from extract.errors import EmptyDocument, ReadError, TooLarge
from extract.facts import extract_facts
from extract.model import Chunk, Document
from extract.read import SUPPORTED_SUFFIXES, read_bytes
from search.chunking import chunk_document
from warehouse.fetch_state import FetchState, failed, state_after_fetch
from warehouse.runs import Failure

if TYPE_CHECKING:
    import numpy as np

    from flows.fetch import Fetcher

AD_HOC = "(ad hoc)"  # fetch_state.source of URIs ingested by path or URL, not from sources.yaml


@dataclass(frozen=True)
class Target:
    """One document to ingest: a local file or a URL."""

    uri: str

    @property
    def is_url(self) -> bool:
        return urlparse(self.uri).scheme in ("http", "https")


@dataclass(frozen=True)
class ChunkVectors:
    """Embeddings of a document's distinct chunk texts, made where it was read (on a cluster)."""

    model: str
    content_hashes: list[str]
    vectors: np.ndarray  # one L2-normalised float32 row per content hash


@dataclass
class Processed:
    """A document read and prepared for loading (with the fetch state to store alongside)."""

    target: Target
    document: Document
    chunks: list[Chunk]
    facts: object | None = None
    state: FetchState | None = None
    vectors: ChunkVectors | None = None  # None: the index step embeds the chunks


@dataclass(frozen=True)
class Unchanged:
    """A document whose bytes match what the warehouse already holds: not read again."""

    target: Target
    state: FetchState | None = None


@dataclass(frozen=True)
class Failed:
    """A document that could not be fetched or read, and the fetch state to store (if any)."""

    failure: Failure
    state: FetchState | None = None


Outcome = Processed | Unchanged | Failed


@dataclass(frozen=True)
class Known:
    """What the warehouse knows about a URI before fetching it."""

    state: FetchState | None = None  # the last fetch
    document_sha256: str | None = None  # content of the active document at this URI
    content_stored: bool = False  # the last fetched content is stored (here or as a duplicate)

    def validators(self) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) to ask "changed since?" with, or (None, None) to fetch anyway.

        Only when the last content is stored, or known to be bad, may a 304 stand for it.
        """
        state = self.state
        if state is None or not (self.content_stored or state.last_error):
            return None, None
        return state.etag, state.last_modified


@dataclass(frozen=True)
class SourceInfo:
    """Who lists a document: the fetch_state owner and metadata stored with the document."""

    name: str = AD_HOC
    metadata: dict[str, str] = field(default_factory=dict)


def is_url(text: str) -> bool:
    return urlparse(text).scheme in ("http", "https")


def discover(paths_or_urls: Iterable[str]) -> tuple[list[Target], list[Failure]]:
    """Expand files, folders (recursively, supported suffixes only) and URLs into targets."""
    targets: list[Target] = []
    failures: list[Failure] = []
    for item in paths_or_urls:
        if is_url(item):
            targets.append(Target(item))
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            targets.extend(Target(str(p.resolve())) for p in files)
        elif path.is_file():
            targets.append(Target(str(path.resolve())))
        else:
            failures.append(Failure(item, "discover", "FileNotFoundError", f"no such file or folder: {item}"))
    unique = list(dict.fromkeys(targets))
    return unique, failures


def read_local(path: str, max_bytes: int) -> bytes:
    """The bytes of a local file, refusing one over the size limit before reading it."""
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise TooLarge(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    if size == 0:
        raise EmptyDocument("file is empty (0 bytes)")
    return Path(path).read_bytes()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(
    target: Target,
    data: bytes,
    content_type: str | None,
    *,
    chunk_chars: int,
    chunk_overlap: int,
    source_uri: str | None = None,
) -> Processed:
    """Read bytes into a Document, cut it into chunks and extract its facts."""
    doc = read_bytes(data, source_uri or target.uri, content_type=content_type)
    chunks = chunk_document(doc, target_chars=chunk_chars, overlap_chars=chunk_overlap)
    return Processed(target, doc, chunks, facts=extract_facts(doc))


def failure_of(target: Target, exc: BaseException, stage: str = "read") -> Failure:
    """A Failure record for an exception, with a message a person can act on."""
    stage = getattr(exc, "stage", stage) if isinstance(exc, ReadError) else stage
    message = str(exc) or exc.__class__.__name__
    return Failure(target.uri, stage, exc.__class__.__name__, message)


Parse = Callable[[Target, bytes, "str | None"], Processed]


def fetch_and_read(
    target: Target, known: Known, *, fetcher: Fetcher, parse: Parse, source: SourceInfo
) -> Outcome:
    """Fetch one document conditionally and read it only if its bytes are new.

    Returns what happened; raises only a transient fetch error (the caller retries those).
    """
    from flows.fetch import FetchFailed

    etag, last_modified = known.validators()
    try:
        fetched = fetcher.fetch(target.uri, etag=etag, last_modified=last_modified)
    except FetchFailed as exc:
        if exc.transient:
            raise
        return Failed(failure_of(target, exc, stage="fetch"))
    owner = source.name if source.name != AD_HOC or known.state is None else known.state.source
    state = state_after_fetch(
        known.state if fetched.not_modified else None, uri=target.uri, source=owner,
        status=fetched.status, etag=fetched.etag, last_modified=fetched.last_modified,
        final_url=fetched.final_url, content_sha256=fetched.sha256,
    )
    if fetched.not_modified:
        if state.last_error:  # the same bytes as last time, which could not be read
            return Failed(failure_from_state(target, state.last_error), state)
        return Unchanged(target, state)
    sha = fetched.sha256
    previous = known.state
    if sha == known.document_sha256:
        return Unchanged(target, state)
    if previous is not None and previous.content_sha256 == sha:
        if previous.last_error:
            kept = replace(state, last_error=previous.last_error)
            return Failed(failure_from_state(target, previous.last_error), kept)
        if known.content_stored:
            return Unchanged(target, state)
    try:
        processed = parse(target, fetched.content or b"", fetched.content_type)
    except Exception as exc:  # noqa: BLE001 - a bad document (or a reader bug) fails only itself
        return Failed(failure_of(target, exc), failed(state, exc))
    describe_fetch(processed.document, source, fetched.final_url, fetched.redirects)
    processed.state = state
    return processed


def describe_fetch(doc: Document, source: SourceInfo, final_url: str, redirects: list[str]) -> None:
    """Record where the document came from in its metadata (source, owner, redirects)."""
    doc.metadata.update(source.metadata)
    if redirects:
        doc.metadata["final_url"] = final_url
        doc.metadata["redirects"] = " -> ".join(redirects)
        doc.canonical_url = doc.canonical_url or final_url


def failure_from_state(target: Target, last_error: str) -> Failure:
    """The failure stored with unchanged bytes, reported again without reading them."""
    error_class, _, message = last_error.partition(": ")
    return Failure(target.uri, "read", error_class or "ReadError", message or last_error)
