"""Ingestion sources as configuration: the `sources.yaml` model, loading and checking.

A source is one place documents come from: a folder, a list of URLs, an RSS/Atom feed, a
sitemap or an HTML index page. Errors name the file, line and field so an admin can fix them.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

SourceKind = Literal["folder", "urls", "feed", "sitemap", "index_page"]
URL_KINDS = ("feed", "sitemap", "index_page")
DEFAULT_GLOBS = ("**/*.pdf", "**/*.html", "**/*.htm", "**/*.txt")
CRON_ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
NAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"


def _http_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url


HttpUrlText = Annotated[str, AfterValidator(_http_url)]


class SourcesError(ValueError):
    """The sources file is invalid; `problems` lists each one as 'file:line: field: reason'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Source(BaseModel):
    """One ingestion source, as written in sources.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Unique id: lowercase letters, digits, - _ .")
    kind: SourceKind
    location: str | None = Field(
        None, description="Folder path (folder) or the URL of the feed, sitemap or index page."
    )
    urls: list[HttpUrlText] = Field(
        default_factory=list, description="Document URLs (kind: urls)."
    )
    globs: list[str] = Field(
        default_factory=list, description="Glob patterns under the folder (kind: folder)."
    )
    link_pattern: str | None = Field(
        None, description="Regular expression a discovered URL must match (feed, sitemap, "
        "index_page, urls); searched anywhere in the absolute URL."
    )
    owner: str | None = Field(None, description="Owning agency, e.g. 'Bappeda Kota Contoh'.")
    region: str | None = Field(None, description="Region of the owner, e.g. 'Kota Contoh'.")
    schedule: str | None = Field(None, description="Cron expression (5 fields) or @daily etc.")
    timezone: str = Field("Asia/Jakarta", description="IANA time zone the schedule runs in.")
    enabled: bool = Field(True, description="A disabled source is skipped by scheduled runs.")
    withdraw_missing: bool | None = Field(
        None, description="Mark documents no longer listed as withdrawn; default yes for all "
        "kinds except feeds, whose items roll off while the documents still exist."
    )

    @field_validator("name")
    @classmethod
    def _name_is_id(cls, name: str) -> str:
        if not re.fullmatch(NAME_PATTERN, name):
            raise ValueError(
                f"{name!r} is not a valid name: use lowercase letters, digits, '-', '_' or '.' "
                "(e.g. 'berita-kota-contoh')"
            )
        return name

    @field_validator("link_pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return pattern

    @field_validator("schedule")
    @classmethod
    def _schedule_is_cron(cls, schedule: str | None) -> str | None:
        return None if schedule is None else normalize_cron(schedule)

    @field_validator("timezone")
    @classmethod
    def _timezone_exists(cls, tz: str) -> str:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {tz!r} (use an IANA name like Asia/Jakarta)"
            ) from None
        return tz

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Source:
        if self.kind == "urls":
            if not self.urls:
                raise ValueError("a 'urls' source needs a non-empty 'urls' list")
            if self.location is not None:
                raise ValueError("a 'urls' source lists its documents in 'urls', not 'location'")
        elif self.location is None:
            raise ValueError(f"a '{self.kind}' source needs 'location'")
        elif self.urls:
            raise ValueError(f"'urls' is only for kind 'urls', not '{self.kind}'")
        if self.kind in URL_KINDS:
            _require_http_url(self.location)
        if self.kind != "folder" and self.globs:
            raise ValueError("'globs' is only for kind 'folder'; use 'link_pattern' for URLs")
        if self.kind == "folder" and self.link_pattern is not None:
            raise ValueError("'link_pattern' is not for kind 'folder'; use 'globs'")
        if self.kind == "index_page" and self.link_pattern is None:
            raise ValueError(
                "an 'index_page' source needs 'link_pattern', a regular expression for its "
                r"document links (e.g. '\.pdf$'), or it would ingest every menu link"
            )
        return self

    @property
    def patterns(self) -> list[str]:
        """The folder's glob patterns, or the defaults (PDF, HTML and text files)."""
        return list(self.globs) or list(DEFAULT_GLOBS)

    @property
    def authoritative(self) -> bool:
        """True when a document missing from this source's listing has been withdrawn."""
        if self.withdraw_missing is not None:
            return self.withdraw_missing
        return self.kind != "feed"

    def matches(self, url: str) -> bool:
        """True when a discovered URL passes this source's link_pattern (or there is none)."""
        return self.link_pattern is None or re.search(self.link_pattern, url) is not None


def _require_http_url(url: str | None) -> None:
    _http_url(url or "")


def normalize_cron(expression: str) -> str:
    """A 5-field cron expression (aliases like @daily expanded); ValueError if it is not one."""
    from cronsim import CronSim, CronSimError

    text = " ".join(expression.split())
    text = CRON_ALIASES.get(text.lower(), text)
    if len(text.split(" ")) != 5:
        raise ValueError(
            f"{expression!r} is not a cron expression: need 5 fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 2 * * *'"
        )
    try:
        CronSim(text, datetime(2000, 1, 1))
    except CronSimError as exc:
        raise ValueError(f"{expression!r} is not a valid cron expression: {exc}") from None
    return text


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise SourcesError listing every problem.

    Relative folder locations are resolved against the file's own directory.
    """
    sources, problems = _parse(Path(path))
    if problems:
        raise SourcesError(problems)
    return sources


def check_sources(path: str | Path) -> list[str]:
    """Every problem in a sources file (empty when valid), including folders that do not exist."""
    sources, problems = _parse(Path(path))
    for source in sources:
        if source.kind == "folder" and not Path(source.location or "").is_dir():
            problems.append(f"{path}: source {source.name!r}: folder {source.location} not found")
    return problems


def get_source(sources: list[Source], name: str) -> Source:
    """The source with this name; KeyError naming the known ones if there is none."""
    for source in sources:
        if source.name == name:
            return source
    known = ", ".join(s.name for s in sources) or "none"
    raise KeyError(f"no source named {name!r} (known: {known})")


def _parse(path: Path) -> tuple[list[Source], list[str]]:
    """Sources that validated, and a message for each problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark:
            problem += f" ({context} started on line {context_mark.line + 1})"
        return [], [f"{where}: YAML syntax error: {problem}"]
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        return [], [f"{path}:1: sources: the file needs a top-level 'sources:' list"]
    extra = sorted(set(data) - {"sources"})
    problems = [f"{_where(path, root, [key])}: {key}: unknown top-level key" for key in extra]
    sources: list[Source] = []
    names: dict[str, int] = {}
    for index, entry in enumerate(data["sources"]):
        if not isinstance(entry, dict):
            problems.append(f"{_where(path, root, ['sources', index])}: sources[{index}]: "
                            "each source must be a mapping with name, kind, ...")
            continue
        label = f"sources[{index}]" + (f" ({entry['name']})" if "name" in entry else "")
        try:
            source = Source.model_validate(_resolve_folder(entry, path.parent))
        except ValidationError as exc:
            for error in exc.errors():
                loc = ["sources", index, *error["loc"]]
                field = "".join(f".{part}" for part in error["loc"])
                problems.append(f"{_where(path, root, loc)}: {label}{field}: {_message(error)}")
            continue
        if source.name in names:
            problems.append(
                f"{_where(path, root, ['sources', index, 'name'])}: {label}.name: duplicate "
                f"source name (also sources[{names[source.name]}])"
            )
            continue
        names[source.name] = index
        sources.append(source)
    return sources, problems


def _message(error: Any) -> str:
    """A pydantic error as a sentence for an admin, naming the value that was given."""
    if error["type"] == "extra_forbidden":
        return f"unknown field (known fields: {', '.join(Source.model_fields)})"
    if error["type"] == "missing":
        return "required field is missing"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if error["type"] == "literal_error" and isinstance(given, str | int | float | bool):
        message += f", not {given!r}"
    return message


def _resolve_folder(entry: dict[str, Any], base: Path) -> dict[str, Any]:
    """A folder source's location made absolute relative to the sources file."""
    location = entry.get("location")
    if entry.get("kind") != "folder" or not isinstance(location, str):
        return entry
    folder = Path(location).expanduser()
    if not folder.is_absolute():
        folder = (base / folder).resolve()
    return {**entry, "location": str(folder)}


def _where(path: Path, root: yaml.Node | None, loc: list[Any]) -> str:
    """'file:line' of the deepest YAML node on the path `loc` (keys and list indexes)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    line = key.start_mark.line + 1
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
            line = child.start_mark.line + 1 if child is not None else line
        if child is None:
            break
        node = child
    return f"{path}:{line}"
