"""The web app over a real published warehouse: pages, JSON API, language, escaping, safety."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_fixtures import SCRIPT, shared_warehouse

from lokus.web.app import create_app

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


# --- sites, compare, facts, charts -------------------------------------------------------------


def test_sites_api_lists_host_regions_by_visits(client):
    sites = client.get("/api/sites").json()
    by_region = {s["region"]: s for s in sites}
    assert by_region["Kabupaten Banyuwangi"]["visits"] == 2
    assert by_region["Kabupaten Banyuwangi"]["years"] == [2019, 2021]
    assert sites[0]["region"] == "Kabupaten Banyuwangi"
    assert by_region["Kota Surabaya"]["province"] == "Jawa Timur"


def test_site_profile_items_link_back_to_evidence_in_the_document(client):
    profile = client.get("/api/sites/35.10").json()
    assert profile["region"] == "Kabupaten Banyuwangi"
    assert [v["program"] for v in profile["visits"]] == ["PKA", "Diklatpim III"]
    assert any(a["award"].startswith("Top 40 Inovasi") for a in profile["awards"])
    items = [i for key in ("visits", "topics", "units", "awards", "practices", "metrics", "origins")
             for i in profile[key]]
    assert items
    pages = {}
    for item in items:
        if item["document_id"] not in pages:
            pages[item["document_id"]] = client.get(f"/documents/{item['document_id']}").text
        assert f'id="{item["anchor"]}"' in pages[item["document_id"]], item


def test_site_page_and_unknown_site(client):
    page = client.get("/sites/35.10")
    assert page.status_code == 200 and "Kunjungan yang diterima (2)" in page.text
    assert client.get("/sites/99.99").status_code == 404
    assert client.get("/api/sites/not-a-code").status_code == 404


def test_compare_api_and_page(client):
    both = client.get("/api/compare", params=[("site", "35.10"), ("site", "35.78")]).json()
    assert [p["region"] for p in both] == ["Kabupaten Banyuwangi", "Kota Surabaya"]
    assert client.get("/api/compare", params={"site": "35.10"}).status_code == 422
    page = client.get("/compare", params=[("site", "35.10"), ("site", "35.78")])
    assert page.text.count('class="profile"') == 2


def test_facts_api_filters_by_kind_and_site(client):
    awards = client.get("/api/facts", params={"kind": "award"}).json()
    assert {f["kind"] for f in awards} == {"award"} and len(awards) >= 2
    surabaya = client.get("/api/facts", params={"site": "35.78"}).json()
    assert surabaya and all(f["document_id"] == surabaya[0]["document_id"] for f in surabaya)
    assert client.get("/api/facts", params={"kind": "nonsense"}).json() == []


def test_search_results_carry_host_region_and_filter_by_province(client):
    results = client.get("/api/search", params={"q": "benchmarking peserta", "province": "Jawa Timur"}).json()
    assert results and {r["host_province"] for r in results} == {"Jawa Timur"}
    assert all("Jawa Timur" in r["host_provinces"] for r in results)
    by_program = client.get("/api/search", params={"q": "benchmarking peserta", "program": "PKP"}).json()
    assert [r["program"] for r in by_program] == ["PKP"]
    recent = client.get("/api/search", params={"q": "benchmarking peserta", "year_from": 2021}).json()
    assert recent and all(max(r["years"]) >= 2021 for r in recent)


def test_web_filters_are_the_search_filters_applied_before_ranking(client, db):
    """The page's filtered results are exactly `search(..., filters=...)`'s, extra passages included."""
    from search.filters import SearchFilters
    from search.query import search_database

    params = {"q": "benchmarking peserta", "province": "Jawa Timur", "year_from": 2017, "top": 2}
    web = client.get("/api/search", params=params).json()
    filters = SearchFilters(province="Jawa Timur", year_from=2017)
    expected = search_database(db, params["q"], top=2, filters=filters)
    assert [r["document_id"] for r in web] == [r.document_id for r in expected]
    assert len(web) == 2
    for item in web:
        assert len(item["passages"]) <= 2
        assert all(p["chunk_id"].startswith(item["document_id"] + "-") for p in item["passages"])


def test_charts_count_visits_and_escape_labels(client):
    data = client.get("/api/charts").json()
    assert data["per_year"] == [[2017, 1], [2019, 1], [2021, 1], [2022, 1]]
    assert data["per_region"][0] == ["Kabupaten Banyuwangi", 2]
    page = client.get("/charts")
    assert page.text.count('class="bar"') == 4 + 3


def test_openapi_schema_and_api_page(client):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/search", "/api/sites", "/api/compare", "/api/documents/{document_id}",
                 "/api/facts", "/api/sql"):
        assert path in schema["paths"]
    hit = schema["components"]["schemas"]["SearchHit"]["properties"]
    assert {"rank", "score", "document_id", "source_uri", "title", "page", "snippet"} <= set(hit)
    page = client.get("/api")
    assert page.status_code == 200 and "/api/search" in page.text
    assert client.get("/api/docs").status_code == 404  # no CDN-loaded Swagger UI
