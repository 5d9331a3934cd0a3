"""Pure helpers of the web app: escaping and marking text, charts, exports, parameters."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pyarrow.parquet as pq

from lokus.web import charts, export
from lokus.web.highlight import evidence_anchor, find_span, mark_spans, mark_words
from lokus.web.i18n import translator
from lokus.web.params import SearchParams, search_params
from warehouse.sql import QueryResult


def test_mark_words_escapes_everything_and_marks_matches():
    html = mark_words("<b>Mal</b> pelayanan & publik", lambda w: w in {"mal", "publik"})
    assert str(html) == "&lt;b&gt;<mark>Mal</mark>&lt;/b&gt; pelayanan &amp; <mark>publik</mark>"


def test_mark_spans_escapes_and_gives_linkable_ids():
    text = "Awal <i>kalimat</i>. Bukti di sini. Akhir."
    start = text.index("Bukti")
    html = str(mark_spans(text, [(start, start + 14, "ev-1"), (0, 200, "")]))
    assert html == ('<mark class="evidence">Awal &lt;i&gt;kalimat&lt;/i&gt;. <mark class="evidence" '
                    'id="ev-1">Bukti di sini.</mark> Akhir.</mark>')


def test_nested_and_overlapping_spans_each_keep_an_element():
    text = "aaa bbb ccc ddd"
    html = str(mark_spans(text, [(0, 11, "outer"), (4, 7, "inner"), (8, 15, "partial")]))
    assert html == ('<mark class="evidence" id="outer">aaa <mark class="evidence" id="inner">bbb</mark> '
                    '<mark class="evidence" id="partial">ccc</mark></mark> ddd')


def test_find_span_tolerates_collapsed_whitespace():
    text = "Kepala Dinas\nmenjelaskan   bahwa angka turun."
    assert find_span(text, "Dinas menjelaskan bahwa") == (7, 32)
    assert find_span(text, "tidak ada") is None
    assert find_span(text, "Dinas menjelaskan ba…") == (7, 29)  # shortened evidence
    assert find_span(text, "") is None


def test_evidence_anchor_is_stable_and_whitespace_blind():
    assert evidence_anchor(1, "Satu  dua\ntiga") == evidence_anchor(1, "Satu dua tiga")
    assert evidence_anchor(1, "Satu dua tiga") != evidence_anchor(2, "Satu dua tiga")


def test_charts_escape_labels_and_scale_bars():
    svg = str(charts.hbar_chart([("<script>x</script>", 4), ("Kota B", 2)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    widths = [int(w) for w in __import__("re").findall(r'class="bar" x="\d+" y="\d+" width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert str(charts.bar_chart([])) == ""
    heat = str(charts.heatmap({"Arsip": {2019: 2, 2020: 1}, "Sampah": {2020: 3}}))
    assert heat.count("<rect") == 4 and ">3</text>" in heat


def test_csv_and_parquet_exports():
    result = QueryResult(["n", "d", "x", "n"], [(1, date(2020, 1, 2), Decimal("1.5"), [1, 2])], False)
    lines = export.to_csv(result).decode("utf-8-sig").splitlines()
    assert lines == ["n,d,x,n", '1,2020-01-02,1.5,"[1, 2]"']
    table = pq.read_table(io.BytesIO(export.to_parquet(result)))
    assert table.column_names == ["n", "d", "x", "n_1"]
    assert table.column("d").to_pylist() == [date(2020, 1, 2)]


def test_translator_defaults_to_indonesian_and_falls_back():
    assert translator("id")("nav.search") == "Cari"
    assert translator("en")("nav.search") == "Search"
    assert translator("xx")("nav.search") == "Cari"
    assert translator("en")("no.such.key", "fallback") == "fallback"
    assert translator("en")("search.results", n=2, q="x") == "2 documents found for “x”"


def test_blank_form_fields_are_no_filter():
    query, filters, top = search_params(SearchParams(q="  arsip ", province="", year_from="", top=5))
    assert (query, top) == ("arsip", 5)
    assert not filters.active
