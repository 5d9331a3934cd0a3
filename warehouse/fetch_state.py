"""What was last fetched from each URI: validators for conditional requests, and withdrawals.

Helpers do not open transactions; wrap them with `warehouse.db.transaction` together with the
document load they belong to, so a crash leaves both or neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime

import duckdb


class WithdrawRefused(ValueError):
    """A listing came back empty for a source that still has documents: nothing withdrawn."""


@dataclass(frozen=True)
class FetchState:
    """One row of fetch_state."""

    uri: str
    source: str
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    final_url: str | None = None
    last_status: int | None = None
    last_fetched_at: datetime | None = None
    withdrawn_at: datetime | None = None
    last_error: str | None = None  # "ErrorClass: message" when these bytes failed to read/load


COLUMNS = tuple(f.name for f in fields(FetchState))


@dataclass(frozen=True)
class ListingChange:
    """URIs a source stopped listing (now withdrawn) and ones it lists again (restored)."""

    withdrawn: list[str]
    restored: list[str]


def get_state(conn: duckdb.DuckDBPyConnection, uri: str) -> FetchState | None:
    """The stored state of one URI, or None if it was never fetched."""
    row = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM fetch_state WHERE uri = ?", [uri]
    ).fetchone()
    return FetchState(*row) if row else None


def states_for_source(
    conn: duckdb.DuckDBPyConnection, source: str, *, include_withdrawn: bool = True
) -> dict[str, FetchState]:
    """Every stored state of a source, by URI (one query: use it to plan a whole run)."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM fetch_state WHERE source = ?"
    if not include_withdrawn:
        sql += " AND withdrawn_at IS NULL"
    return {row[0]: FetchState(*row) for row in conn.execute(sql, [source]).fetchall()}


def put_state(conn: duckdb.DuckDBPyConnection, state: FetchState) -> None:
    """Insert or replace the state of one URI (a URI fetched again is listed: not withdrawn)."""
    values = asdict(state)
    if values["last_fetched_at"] is None:
        values["last_fetched_at"] = datetime.now()
    updates = ", ".join(f"{name} = excluded.{name}" for name in COLUMNS if name != "uri")
    conn.execute(
        f"INSERT INTO fetch_state ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
        f"ON CONFLICT (uri) DO UPDATE SET {updates}",
        [values[name] for name in COLUMNS],
    )


def state_after_fetch(
    previous: FetchState | None,
    *,
    uri: str,
    source: str,
    status: int,
    etag: str | None,
    last_modified: str | None,
    final_url: str | None,
    content_sha256: str | None,
) -> FetchState:
    """The state to store after a fetch; a 304 keeps the validators, hash and error it confirmed.

    After a 200 whose bytes then fail to read or load, store `failed(state, exc)` instead, so
    the next run can report the failure again from a 304 without downloading or reading.
    """
    kept = previous if previous is not None and status == 304 else None
    return FetchState(
        uri=uri,
        source=source,
        etag=etag or (kept.etag if kept else None),
        last_modified=last_modified or (kept.last_modified if kept else None),
        content_sha256=content_sha256 or (kept.content_sha256 if kept else None),
        final_url=final_url or (kept.final_url if kept else None),
        last_status=status,
        last_fetched_at=datetime.now(),
        withdrawn_at=None,
        last_error=kept.last_error if kept else None,
    )


def failed(state: FetchState, error: BaseException) -> FetchState:
    """The state with the reason its bytes could not be read or loaded."""
    return replace(state, last_error=f"{type(error).__name__}: {error}")


def apply_listing(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    listed_uris: Iterable[str],
    *,
    allow_empty: bool = False,
) -> ListingChange:
    """Mark the source's URIs that it no longer lists as withdrawn; un-withdraw listed ones.

    Call it only after a complete listing (`Discovery.can_withdraw`). An empty listing for a
    source that still has documents raises WithdrawRefused unless allow_empty: an unmounted
    share or an emptied page should not withdraw everything without a person saying so.
    """
    listed = set(listed_uris)
    known = states_for_source(conn, source)
    active = {uri for uri, state in known.items() if state.withdrawn_at is None}
    gone = sorted(active - listed)
    back = sorted(uri for uri, state in known.items()
                  if state.withdrawn_at is not None and uri in listed)
    if not listed and active and not allow_empty:
        raise WithdrawRefused(
            f"source {source!r} listed no documents but has {len(active)}; nothing marked "
            "withdrawn (check the source, or withdraw explicitly)"
        )
    now = datetime.now()
    if gone:
        conn.execute(
            "UPDATE fetch_state SET withdrawn_at = ? WHERE source = ? AND uri IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [now, source, gone],
        )
    if back:
        conn.execute(
            "UPDATE fetch_state SET withdrawn_at = NULL WHERE source = ? AND uri IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [source, back],
        )
    return ListingChange(gone, back)
