"""fetch_state in a real DuckDB warehouse: validators kept, listings turned into withdrawals."""

from __future__ import annotations

import pytest

from warehouse.db import transaction
from warehouse.fetch_state import (
    FetchState,
    WithdrawRefused,
    apply_listing,
    failed,
    get_state,
    put_state,
    state_after_fetch,
    states_for_source,
)

A, B, C = (f"https://sukamaju.go.id/dokumen/laporan-{n}.pdf" for n in (1, 2, 3))


def fetched(uri: str, sha: str, etag: str = '"e1"', status: int = 200) -> FetchState:
    return state_after_fetch(None, uri=uri, source="kota", status=status, etag=etag,
                             last_modified="Tue, 04 Jun 2024 01:00:00 GMT", final_url=uri,
                             content_sha256=sha)


def test_put_and_get_round_trip(warehouse):
    assert get_state(warehouse, A) is None
    put_state(warehouse, fetched(A, "aa"))
    state = get_state(warehouse, A)
    assert (state.uri, state.source, state.etag, state.content_sha256, state.last_status) == (
        A, "kota", '"e1"', "aa", 200)
    assert state.last_modified == "Tue, 04 Jun 2024 01:00:00 GMT"
    assert state.last_fetched_at is not None and state.withdrawn_at is None

    put_state(warehouse, fetched(A, "bb", etag='"e2"'))
    assert get_state(warehouse, A).content_sha256 == "bb"
    assert warehouse.execute("SELECT count(*) FROM fetch_state").fetchone()[0] == 1


def test_not_modified_keeps_validators_and_hash(warehouse):
    first = fetched(A, "aa")
    put_state(warehouse, first)
    after_304 = state_after_fetch(first, uri=A, source="kota", status=304, etag=None,
                                  last_modified=None, final_url=None, content_sha256=None)
    put_state(warehouse, after_304)
    state = get_state(warehouse, A)
    assert (state.etag, state.content_sha256, state.last_status) == ('"e1"', "aa", 304)
    assert state.last_modified == first.last_modified and state.final_url == A


def test_read_failure_is_remembered_until_the_bytes_change(warehouse):
    broken = failed(fetched(A, "aa"), ValueError("truncated PDF"))
    put_state(warehouse, broken)
    assert get_state(warehouse, A).last_error == "ValueError: truncated PDF"
    after_304 = state_after_fetch(get_state(warehouse, A), uri=A, source="kota", status=304,
                                  etag=None, last_modified=None, final_url=None,
                                  content_sha256=None)
    assert after_304.last_error == "ValueError: truncated PDF"
    assert fetched(A, "bb").last_error is None  # new bytes: a fresh start


def test_listing_withdraws_missing_and_restores_returning(warehouse):
    for uri in (A, B, C):
        put_state(warehouse, fetched(uri, uri[-5:]))
    put_state(warehouse, FetchState("https://lain.go.id/x.pdf", "kabupaten"))

    change = apply_listing(warehouse, "kota", [A, C])
    assert change.withdrawn == [B] and change.restored == []
    assert get_state(warehouse, B).withdrawn_at is not None
    assert set(states_for_source(warehouse, "kota", include_withdrawn=False)) == {A, C}
    assert get_state(warehouse, "https://lain.go.id/x.pdf").withdrawn_at is None

    again = apply_listing(warehouse, "kota", [A, C])
    assert again.withdrawn == [] and again.restored == []  # withdrawn once, not each run

    back = apply_listing(warehouse, "kota", [A, B, C])
    assert back.restored == [B] and get_state(warehouse, B).withdrawn_at is None


def test_empty_listing_is_refused_unless_allowed(warehouse):
    put_state(warehouse, fetched(A, "aa"))
    with pytest.raises(WithdrawRefused, match="listed no documents but has 1"):
        apply_listing(warehouse, "kota", [])
    assert get_state(warehouse, A).withdrawn_at is None
    assert apply_listing(warehouse, "kota", [], allow_empty=True).withdrawn == [A]


def test_state_rolls_back_with_its_transaction(warehouse):
    put_state(warehouse, fetched(A, "aa"))
    with pytest.raises(RuntimeError), transaction(warehouse):
        put_state(warehouse, fetched(A, "bb"))
        apply_listing(warehouse, "kota", [B])
        raise RuntimeError("crash while loading the document")
    state = get_state(warehouse, A)
    assert state.content_sha256 == "aa" and state.withdrawn_at is None
