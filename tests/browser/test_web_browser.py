"""The web app in a real browser: headless system Chromium driven by Playwright.

Each test leaves a full-page screenshot in test-artifacts/screenshots/ (git-ignored) for a
person to look at. The server is uvicorn on a free 127.0.0.1 port over the fixture warehouse.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import test_web_fixtures as fx
from playwright import sync_api as playwright_api

from lokus.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = fx.shared_warehouse(tmp_path_factory.getbasetemp())
    with fx.LiveServer(create_app(db)) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 1200, "height": 900},
                                  accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # Pages may answer 4xx on purpose (a refused statement); their assets never may.
    tab.on("console", lambda msg: errors.append(msg.text)
           if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}")
           if r.status >= 400 and r.request.resource_type != "document" else None)
    yield tab
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def search(page, words: str) -> None:
    page.goto("/")
    page.get_by_role("searchbox").fill(words)
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_selector("#result-count")


def test_search_in_indonesian(page):
    search(page, "mal pelayanan publik")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "dokumen ditemukan" in page.inner_text("#result-count")
    first = page.locator("li.result").first
    assert "Mal Pelayanan Publik" in first.locator("h2").inner_text()
    assert first.locator(".snippet mark").count() >= 2
    assert "Kabupaten Banyuwangi" in first.locator(".meta").inner_text()
    shot(page, "01-search")


def test_apply_a_filter(page):
    search(page, "peserta benchmarking pelayanan")
    before = page.locator("li.result").count()
    page.locator("details.filters summary").click()
    page.select_option("select[name=province]", "Daerah Istimewa Yogyakarta")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_selector("#result-count")
    hosts = page.locator("li.result .meta .host").all_inner_texts()
    assert hosts and all("Daerah Istimewa Yogyakarta" in h for h in hosts)
    assert page.locator("li.result").count() < before
    assert page.locator("select[name=province]").input_value() == "Daerah Istimewa Yogyakarta"
    shot(page, "02-search-filtered")


def test_open_a_site_page(page):
    page.goto("/sites")
    assert page.locator(".site-card").count() == 3
    shot(page, "03-sites")
    page.get_by_role("link", name="Kabupaten Banyuwangi").click()
    page.wait_for_selector("article.profile")
    assert page.locator("h1").inner_text().startswith("Kabupaten Banyuwangi")
    visits = page.locator("section.visits li")
    assert visits.count() == 2
    assert "PKA" in visits.first.inner_text()
    evidence = page.locator("section.visits a.ev").first
    assert re.match(r"/documents/[0-9a-f]{16}#ev-[0-9a-f]{10}$", evidence.get_attribute("href"))
    shot(page, "03-site-profile")


def test_compare_two_sites(page):
    page.goto("/compare")
    page.select_option("#compare-site-1", label="Kabupaten Banyuwangi")
    page.select_option("#compare-site-2", label="Kota Surabaya")
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_selector(".compare article.profile")
    columns = page.locator(".compare article.profile")
    assert columns.count() == 2
    assert [columns.nth(i).locator("h2").inner_text() for i in range(2)] == [
        "Kabupaten Banyuwangi", "Kota Surabaya",
    ]
    assert "Adipura Kencana" in columns.nth(1).inner_text()
    shot(page, "04-compare")


def test_open_a_document_and_see_a_highlighted_fact(page):
    search(page, "kematian ibu jemput bola")
    page.locator("li.result h2 a").first.click()
    page.wait_for_selector("article.document")
    link = page.locator("tr.fact[data-kind=visit] a.evidence-link").first
    target = link.get_attribute("href")
    link.click()
    highlighted = page.locator(f"mark.evidence{target}")
    assert highlighted.is_visible()
    assert "Kota Palembang" in highlighted.inner_text()
    assert page.evaluate("location.hash") == target
    shot(page, "05-document")


def test_script_in_document_text_is_shown_not_run(page):
    search(page, "kematian ibu jemput bola")
    page.locator("li.result h2 a").first.click()
    page.wait_for_selector("article.document")
    assert fx.SCRIPT in page.inner_text(".page-text")
    assert page.title() != "diretas"
    assert page.locator(".page-text script").count() == 0


def test_run_sql_and_download_csv(page):
    page.goto("/sql")
    assert page.locator(".sql-catalog summary", has_text="visits").count() >= 1
    statement = "SELECT host_region, count(*) AS visits FROM visits GROUP BY 1 ORDER BY 2 DESC, 1"
    page.locator("textarea[name=sql]").fill(statement)
    page.locator("#sql-run").click()
    page.wait_for_selector("#sql-result")
    rows = page.locator("#sql-result tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [
        ["Kabupaten Banyuwangi", "2"], ["Kota Surabaya", "1"], ["Kota Yogyakarta", "1"]
    ]
    shot(page, "06-sql")
    with page.expect_download() as info:
        page.locator("#sql-csv").click()
    download = info.value
    assert download.suggested_filename == "lokus-query.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["host_region", "visits"], ["Kabupaten Banyuwangi", "2"], ["Kota Surabaya", "1"],
        ["Kota Yogyakarta", "1"],
    ]


def test_refused_sql_is_explained_on_the_page(page):
    page.goto("/sql")
    page.locator("textarea[name=sql]").fill("DROP TABLE documents")
    page.locator("#sql-run").click()
    page.wait_for_selector("#sql-error")
    assert "DROP" in page.inner_text("#sql-error")
    shot(page, "07-sql-refused")


def test_charts_and_english(page):
    page.goto("/charts?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2", has_text="Visits per year").count() == 1
    bars = page.locator("#chart-per-year svg rect.bar")
    assert bars.count() == 4  # 2017, 2019, 2021, 2022
    shot(page, "08-charts-en")
    page.locator("#chart-per-region svg a", has_text="Kota Surabaya").click()
    page.wait_for_selector("article.profile")
    assert page.locator("h1").inner_text().startswith("Kota Surabaya")
    assert page.locator("html").get_attribute("lang") == "en"  # the cookie keeps the choice
    assert page.locator("h3", has_text="Visits received (1)").count() == 1
