"""The web app over a real published warehouse: pages, JSON API, language, escaping, safety."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokus.web.app import create_app

try:  # tests/ as a package or as plain rootdir modules
    from tests.test_web_fixtures import SCRIPT, shared_warehouse
except ImportError:
    from test_web_fixtures import SCRIPT, shared_warehouse

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return shared_warehouse(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as test_client:
        yield test_client


def doc_id_of(client, name: str) -> str:
    rows = client.post(
        "/api/sql", json={"sql": f"SELECT document_id FROM documents WHERE source_uri LIKE '%{name}'"}
    ).json()["rows"]
    assert rows, name
    return rows[0][0]


# --- search ----------------------------------------------------------------------------------


def test_search_page_in_indonesian_highlights_query_words(client):
    page = client.get("/", params={"q": "arsip daerah"})
    assert page.status_code == 200
    assert '<html lang="id">' in page.text
    assert "dokumen ditemukan" in page.text
    assert "Pengelolaan Arsip" in page.text
    assert re.search(r"<mark>[Aa]rsip</mark>", page.text)


def test_search_api_items_carry_the_cli_json_keys_and_values(client, db):
    api = client.get("/api/search", params={"q": "mal pelayanan publik", "top": 3}).json()
    cli = subprocess.run(
        [sys.executable, "-m", "lokus.cli", "search", "mal pelayanan publik", "--top", "3", "--json",
         "--db", str(db)],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    expected = json.loads(cli.stdout)
    assert expected, cli.stderr
    assert [{k: item[k] for k in expected[0]} for item in api] == expected


def test_search_filter_by_document_type_keeps_only_that_type(client):
    everything = client.get("/api/search", params={"q": "peserta benchmarking"}).json()
    html_only = client.get("/api/search", params={"q": "peserta benchmarking", "doc_type": "html"}).json()
    assert {r["doc_type"] for r in everything} >= {"html", "text"}
    assert html_only and {r["doc_type"] for r in html_only} == {"html"}


def test_empty_filter_fields_from_the_form_mean_no_filter(client):
    page = client.get("/", params={"q": "sampah", "province": "", "year_from": "", "doc_type": ""})
    assert page.status_code == 200
    assert "Surabaya" in page.text


def test_bad_year_is_a_clear_422_not_a_crash(client):
    response = client.get("/api/search", params={"q": "sampah", "year_from": "dua ribu"})
    assert response.status_code == 422


# --- language --------------------------------------------------------------------------------


def test_english_by_parameter_then_by_cookie(client):
    page = client.get("/", params={"q": "sampah", "lang": "en"})
    assert '<html lang="en">' in page.text and "documents found" in page.text
    assert page.cookies.get("lang") == "en" or client.cookies.get("lang") == "en"
    again = client.get("/sites")
    assert '<html lang="en">' in again.text
    back = client.get("/", params={"lang": "id"})
    assert '<html lang="id">' in back.text


# --- documents -------------------------------------------------------------------------------


def test_document_text_with_a_script_tag_is_escaped(client):
    doc_id = doc_id_of(client, "diklatpim-iii-palembang-banyuwangi-2021.txt")
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "&lt;script&gt;document.title=" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_document_api_gives_pages_and_provenance(client):
    doc_id = doc_id_of(client, "pka-jambi-banyuwangi-2019.html")
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert doc["document_id"] == doc_id
    assert doc["pages"][0]["page"] == 1 and "Mal Pelayanan Publik" in doc["pages"][0]["text"]
    for fact in doc["facts"]:
        assert fact["document_id"] == doc_id and fact["page"] and fact["evidence"]


def test_original_source_link_only_for_web_addresses(client):
    web = client.get(f"/documents/{doc_id_of(client, 'pka-jambi-banyuwangi-2019.html')}").text
    assert 'href="https://berita.example.org/pka-jambi-banyuwangi"' in web
    local = client.get(f"/documents/{doc_id_of(client, 'pkp-bali-surabaya-2022.txt')}").text
    assert "pkp-bali-surabaya-2022.txt" in local
    assert "web-warehouse/docs" not in local  # the server's folders are not shown


@pytest.mark.parametrize(
    "path",
    ["/documents/..%2F..%2Fetc%2Fpasswd", "/documents/0123456789abcdef", "/static/..%2F..%2Fapp.py",
     "/static/../app.py", "/sites/..%2F..%2Fetc%2Fpasswd", "/api/documents/%2Fetc%2Fpasswd"],
)
def test_no_url_reaches_the_filesystem(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "create_app" not in response.text


# --- read-only mode ---------------------------------------------------------------------------


def test_read_only_mode_serves_reading_and_refuses_the_rest(db):
    with TestClient(create_app(db, read_only=True)) as ro:
        assert ro.get("/", params={"q": "sampah"}).status_code == 200
        assert ro.get("/api/search", params={"q": "sampah"}).status_code == 200
        assert ro.post("/api/sql", json={"sql": "SELECT 1"}).status_code == 405
        assert ro.get("/sql").status_code == 403
        assert 'href="/sql"' not in ro.get("/").text


def test_status_before_any_publish_is_a_clear_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.duckdb")) as empty:
        response = empty.get("/api/search", params={"q": "x"})
        assert response.status_code == 503
        assert "ingest" in response.json()["detail"]
        page = empty.get("/")
        assert page.status_code == 503 and "Belum ada data" in page.text
