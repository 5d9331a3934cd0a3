"""The ingest pipeline's steps as plain functions; `flows/ingest.py` runs them as Prefect tasks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from extract.errors import EmptyDocument, ReadError, TooLarge
from extract.model import Chunk, Document
from extract.read import SUPPORTED_SUFFIXES, read_bytes
from search.chunking import chunk_document
from warehouse.runs import Failure


@dataclass(frozen=True)
class Target:
    """One document to ingest: a local file or a URL."""

    uri: str

    @property
    def is_url(self) -> bool:
        return urlparse(self.uri).scheme in ("http", "https")


@dataclass
class Processed:
    """A document read and prepared for loading."""

    target: Target
    document: Document
    chunks: list[Chunk]
    facts: object | None = None


@dataclass(frozen=True)
class Unchanged:
    """A document whose bytes match what the warehouse already holds: not read again."""

    target: Target


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
    return Processed(target, doc, chunks, facts=extract_facts_of(doc))


def extract_facts_of(doc: Document) -> object | None:
    """The document's facts, when the facts extractor is installed."""
    try:
        from extract.facts import extract_facts
    except ImportError:
        return None
    return extract_facts(doc)


def failure_of(target: Target, exc: BaseException, stage: str = "read") -> Failure:
    """A Failure record for an exception, with a message a person can act on."""
    stage = getattr(exc, "stage", stage) if isinstance(exc, ReadError) else stage
    message = str(exc) or exc.__class__.__name__
    return Failure(target.uri, stage, exc.__class__.__name__, message)
