"""extract_facts on whole invented documents: the visit, its evidence, and robustness to bad input."""

from datetime import date

from extract.facts import extract_facts
from extract.model import Document, Page, Table, content_id

ARTICLE = """Peserta Diklatpim Tingkat IV Angkatan XXI Kunjungi Pemkab Sleman

Sleman – Sebanyak 45 peserta Pendidikan dan Pelatihan Kepemimpinan (Diklatpim) Tingkat IV Angkatan XXI
Tahun 2019 dari Badan Pengembangan Sumber Daya Manusia (BPSDM) Provinsi Nusa Tenggara Barat
melaksanakan benchmarking ke Pemerintah Kabupaten Sleman, Kamis (14/3).

Rombongan dipimpin Kepala BPSDM Provinsi Nusa Tenggara Barat Hendra Wiratama dan diterima oleh
Asisten Administrasi Umum Sleman, Dra. Ratna Kusumawati di Ruang Rapat Sekretariat Daerah.

Peserta berasal dari Kabupaten Lombok Barat 20 orang, Kota Mataram 15 orang dan Kabupaten Sumbawa 10 orang.

Alasan memilih Kabupaten Sleman karena Sleman dikenal dengan inovasi pelayanan publik yang berhasil meraih
penghargaan Kompetisi Inovasi Pelayanan Publik 2018 dari Kementerian PANRB.

Kelompok 1 “Digitalisasi Layanan Perizinan” pada DPMPTSP Kabupaten Sleman; Kelompok 2 “Penguatan Peran
Kecamatan dalam Pelayanan Dasar” pada Kantor Kecamatan Depok; Kelompok 3 “Pengelolaan Arsip Daerah” pada
Dinas Perpustakaan dan Kearsipan.

Indeks Kepuasan Masyarakat (IKM) mencapai 87,45 dan realisasi pendapatan sebesar Rp 1,2 miliar."""


def document(text, *, title=None, published=None, tables=()):
    return Document(
        source_uri="mem://" + (title or "doc"),
        sha256=content_id(text.encode()) * 4,
        doc_type="text",
        pages=[Page(1, text)],
        title=title,
        published_date=published,
        tables=list(tables),
    )


def test_visit_of_an_invented_article():
    facts = extract_facts(document(ARTICLE))
    visit = facts.visit
    assert facts.errors == []
    assert (visit.program, visit.cohort, visit.year) == ("Diklatpim IV", 21, 2019)
    assert (visit.host_region, visit.host_region_code, visit.host_province) == (
        "Kabupaten Sleman",
        "34.04",
        "Daerah Istimewa Yogyakarta",
    )
    assert visit.start_date == date(2019, 3, 14) and visit.date_source == "inferred"
    assert visit.organiser == "BPSDM Provinsi Nusa Tenggara Barat"
    assert visit.participant_count == 45
    assert (visit.origins_total, visit.origins_consistent) == (45, True)
    assert visit.reasons and "Alasan memilih" in visit.reasons[0]
    assert [g.group_no for g in facts.groups] == [1, 2, 3]
    assert {p.name for p in facts.people} == {"Hendra Wiratama", "Ratna Kusumawati"}
    assert [a.award for a in facts.awards] == ["Kompetisi Inovasi Pelayanan Publik"]
    assert any(m.unit == "IDR" and m.value == 1.2e9 for m in facts.metrics)


def test_every_fact_links_to_its_page_and_evidence():
    facts = extract_facts(document(ARTICLE))
    rows = [
        facts.site,
        *facts.visits,
        *facts.groups,
        *facts.origins,
        *facts.host_units,
        *facts.awards,
        *facts.people,
        *facts.practices,
        *facts.metrics,
        *facts.dates,
    ]
    for row in rows:
        assert row.page == 1
        assert row.evidence and row.evidence.replace("…", "")[:20] in " ".join(ARTICLE.split())
        assert 0 < row.confidence <= 1


def test_origin_counts_that_do_not_add_up_are_recorded():
    text = (
        "Sebanyak 30 peserta Diklatpim III melakukan studi lapangan ke Pemkot Salatiga, Senin (3/6/2019). "
        "Peserta berasal dari Kota Mataram 10 orang dan Kabupaten Bima 15 orang."
    )
    visit = extract_facts(document(text)).visit
    assert visit.participant_count == 30
    assert (visit.origins_total, visit.origins_consistent) == (25, False)


def test_no_year_is_invented_for_a_date_without_support():
    text = "Peserta Diklatpim III melakukan kunjungan ke Pemkot Salatiga, Selasa (4/6). Rombongan diterima."
    facts = extract_facts(document(text))
    assert facts.visit.start_date is None and facts.year is None
    assert facts.dates == []


def test_publication_date_supports_a_year_when_the_weekday_agrees():
    text = "Peserta PKA melakukan studi lapangan ke Pemkot Salatiga, Senin (5/6). Rombongan diterima Sekda."
    assert extract_facts(document(text, published=date(2023, 6, 7))).visit.start_date == date(2023, 6, 5)
    assert extract_facts(document(text, published=date(2024, 6, 7))).visit.start_date is None


def test_a_press_statement_date_is_not_the_visit_date():
    text = (
        "Peserta PKP studi lapangan di Kabupaten Banyumas. “Kami belajar banyak dari studi lapangan ini,” "
        "kata Kepala Pusdiklat dalam keterangannya, Kamis (25/7/2024)."
    )
    facts = extract_facts(document(text))
    assert facts.visit.start_date is None
    assert facts.year == 2024 and facts.dates[0].role == "statement"


def test_a_document_without_a_visit_has_a_site_but_no_visit():
    text = "Kota Denpasar meraih penghargaan Anugerah Keterbukaan Informasi Publik 2023 dari "
    text += "Komisi Informasi Pusat."
    facts = extract_facts(document(text))
    assert facts.visits == [] and facts.site.region == "Kota Denpasar"
    assert facts.awards[0].giver == "Komisi Informasi Pusat" and facts.awards[0].year == 2023


def test_bad_input_gives_empty_facts_not_an_error():
    for text in [
        "",
        "   \n\n  ",
        "%%%% 12/34/5678 (99/99) Kelompok Kelompok ;;;",
        "x" * 20000,
        "\x00\ufffd" * 50,
    ]:
        facts = extract_facts(document(text, tables=[Table(1, 0, [[None, "", "1,2"], []])]))
        assert facts.errors == [] and facts.visits == []


def test_an_extractor_failure_is_recorded_and_the_others_still_run(monkeypatch):
    import extract.facts as facts_module

    def broken(ctx, site):
        raise ValueError("boom")

    monkeypatch.setattr(facts_module, "extract_awards", broken)
    facts = extract_facts(document(ARTICLE))
    assert facts.errors == ["awards: ValueError: boom"]
    assert facts.visit.program == "Diklatpim IV" and facts.awards == []


def test_one_benchmarking_sentence_is_enough_for_a_visit():
    text = (
        "Pemkot Batu Sambut Diklatpim III Kabupaten Tangerang\n\nPeserta Diklatpim III Kabupaten Tangerang "
        "melakukan benchmarking di Pemerintah Kota Batu (29/08/16) sampai dengan (02/09/16). "
        "Mereka berjumlah 40 orang."
    )
    visit = extract_facts(document(text)).visit
    assert (visit.host_region, visit.program, visit.participant_count) == ("Kota Batu", "Diklatpim III", 40)
    assert (visit.start_date, visit.end_date, visit.date_source) == (
        date(2016, 8, 29),
        date(2016, 9, 2),
        "stated",
    )


def test_a_document_that_cannot_be_prepared_gives_an_error_line_not_an_exception():
    doc = document("Peserta Diklatpim III berkunjung ke Pemkot Salatiga.")
    doc.pages = None  # a reader bug: no pages at all
    facts = extract_facts(doc)
    assert facts.visits == [] and len(facts.errors) == 1 and facts.errors[0].startswith("context: TypeError")


def test_news_lead_weekday_resolves_against_the_dateline():
    text = (
        "Selasa, 14 Mei 2024 10:05 WIB\n\n"
        "Mataram, 14/5 (Antara) - Sebanyak 28 peserta Pelatihan Kepemimpinan Pengawas Angk. IV BPSDM "
        "Provinsi Bali melakukan studi lapangan ke Pemerintah Kota Mataram, Senin.\n\n"
        "Rombongan diterima Asisten Administrasi Umum Setda Kota Mataram."
    )
    visit = extract_facts(document(text)).visit
    assert (visit.program, visit.cohort) == ("PKP", 4)
    assert visit.start_date == date(2024, 5, 13) and visit.date_source == "inferred"


def test_news_dateline_dates_the_visit_when_nothing_else_does():
    text = (
        "Rabu, 15 Mei 2024 08:00 WIB\n\n"
        "Mataram, 15/5 (Antara) - Peserta Pelatihan Kepemimpinan Administrator BPSDM Provinsi Bali "
        "mempelajari layanan perizinan di Pemerintah Kota Mataram.\n\n"
        "Rombongan diterima Asisten Administrasi Umum Setda Kota Mataram. Peserta lalu mengunjungi Bappeda."
    )
    visit = extract_facts(document(text)).visit
    assert visit.start_date == date(2024, 5, 15) and visit.date_source == "inferred"


def test_a_weekday_without_any_document_date_gives_no_date():
    text = (
        "MATARAM – Peserta Pelatihan Kepemimpinan Pengawas angkatan ke-7 melakukan studi lapangan ke "
        "Pemerintah Kota Mataram, Senin (9/4). Rombongan diterima Sekda, Kamis."
    )
    facts = extract_facts(document(text))
    assert facts.visit.start_date is None and facts.year is None


def test_labelled_activity_date_of_a_report():
    text = (
        "Laporan Benchmarking Pelatihan Kepemimpinan Nasional Tingkat II\n\n"
        "Lokus: Pemerintah Kota Mataram\n\nWaktu pelaksanaan: Kamis, 16 Mei 2024\n\n"
        "Peserta melakukan benchmarking ke Pemerintah Kota Mataram."
    )
    assert extract_facts(document(text)).visit.start_date == date(2024, 5, 16)


def test_year_of_an_undated_page_falls_back_to_its_publication_date():
    text = "Kota Mataram meraih penghargaan Anugerah Parahita Ekapraya dari Kementerian PPPA."
    assert extract_facts(document(text, published=date(2023, 8, 1))).year == 2023
