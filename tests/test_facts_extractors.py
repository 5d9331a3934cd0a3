"""Each extractor on small invented Indonesian texts: units, groups, participants, awards, people,
practices and metrics."""

from extract.facts.awards import extract_awards
from extract.facts.context import build_context
from extract.facts.groups import extract_groups, split_items
from extract.facts.model import Site
from extract.facts.participants import participant_count, participant_origins
from extract.facts.people import extract_people
from extract.facts.practices import extract_practices
from extract.facts.regions import gazetteer
from extract.facts.units import canonical_unit, extract_host_units
from extract.model import Document, Page, content_id

SLEMAN = gazetteer().by_code["34.04"]
SITE = Site("Kabupaten Sleman", "34.04", "Daerah Istimewa Yogyakarta", 1, "", 0.9)


def ctx(*paragraphs: str, title: str = "Berita"):
    text = "\n\n".join(paragraphs)
    doc = Document("mem://" + title, content_id(text.encode()), "text", [Page(1, text)], title=title)
    return build_context(doc)


# --- host units ----------------------------------------------------------------------------------


def test_unit_aliases_normalise():
    assert canonical_unit("Dinas Kependudukan dan Catatan Sipil") == "Disdukcapil"
    assert canonical_unit("Dispendukcapil") == "Disdukcapil"
    assert canonical_unit("BKPSDMD") == canonical_unit("BKD") == "BKPSDM"
    assert canonical_unit("Dinas Perindustrian, Perdagangan dan Koperasi") == "Dinas Perindag dan Koperasi"
    assert canonical_unit("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP)") == "DPMPTSP"
    assert canonical_unit("Dinas Rahasia Negara") is None


def test_host_units_keep_the_host_and_drop_visitors_units():
    c = ctx(
        "Peserta belajar di Bappeda Kabupaten Sleman, Dinas Sosial dan Kantor Kecamatan Depok.",
        "Ketua kelompok berasal dari Dinas Perhubungan Kabupaten Lombok Barat.",
        "Kepala BKPSDM Kota Mataram Budi Santoso memimpin rombongan.",
    )
    units = {u.name: u for u in extract_host_units(c, SLEMAN)}
    assert "Bappeda Kabupaten Sleman" in units
    assert "Dinsos" in units
    assert units["Kecamatan Depok"].region_code.startswith("34.04.")
    assert not any("Dishub" in name or "BKPSDM" in name for name in units)
    assert all(u.evidence and u.page == 1 for u in units.values())


# --- groups --------------------------------------------------------------------------------------


def test_numbered_groups_with_quoted_topics_and_units():
    c = ctx(
        "Kelompok I “Digitalisasi Layanan Perizinan pada DPMPTSP Kabupaten Sleman” ; "
        "Kelompok II “Penguatan Peran Kecamatan dalam Pelayanan Dasar” pada Kantor Kecamatan Depok ; "
        "Kelompok III “Pengelolaan Arsip Daerah pada Dinas Perpustakaan dan Kearsipan”."
    )
    groups = extract_groups(c)
    assert [(g.group_no, g.topic, g.host_unit) for g in groups] == [
        (1, "Digitalisasi Layanan Perizinan", "DPMPTSP Kabupaten Sleman"),
        (2, "Penguatan Peran Kecamatan dalam Pelayanan Dasar", "Kantor Kecamatan Depok"),
        (3, "Pengelolaan Arsip Daerah", "Dinas Perpustakaan dan Kearsipan"),
    ]


def test_group_texts_in_other_forms():
    c = ctx(
        "Kelompok 1: Dinas Kependudukan dan Pencatatan Sipil, dengan topik Layanan Akta Sehari Jadi. "
        "Kelompok 2 berkunjung ke Dinas Sosial untuk mempelajari penanganan kemiskinan terpadu. "
        "Kelompok tiga ke Bappeda."
    )
    assert [(g.group_no, g.topic, g.host_unit) for g in extract_groups(c)] == [
        (1, "Layanan Akta Sehari Jadi", "Dinas Kependudukan dan Pencatatan Sipil"),
        (2, "penanganan kemiskinan terpadu", "Dinas Sosial"),
        (3, None, "Bappeda"),
    ]


def test_counted_groups_take_the_listed_loci_and_their_subthemes():
    c = ctx(
        "Peserta dibagi menjadi 2 kelompok yang berkunjung ke lokus Desa Sumberarum dan Desa Wonokerto.",
        "Desa Sumberarum dipilih untuk sub-tema Ketahanan Pangan Berbasis Desa, sedangkan Desa Wonokerto "
        "menjadi tujuan sub-tema Desa Wisata Mandiri.",
    )
    groups = extract_groups(c)
    assert [(g.host_unit, g.topic) for g in groups] == [
        ("Desa Sumberarum", "Ketahanan Pangan Berbasis Desa"),
        ("Desa Wonokerto", "Desa Wisata Mandiri"),
    ]


def test_counted_groups_split_to_the_stated_number():
    c = ctx(
        "Mereka dibagi empat kelompok. Mulai dari Diskominfo, Bapenda, Dinas Pendidikan dan "
        "Kecamatan yaitu di Kecamatan Mlati."
    )
    assert [g.host_unit for g in extract_groups(c)] == [
        "Diskominfo",
        "Bapenda",
        "Dinas Pendidikan",
        "Kecamatan Mlati",
    ]


def test_focus_areas_become_topics_and_dan_inside_items_is_kept():
    c = ctx(
        "Peserta akan memfokuskan pada bidang Kesehatan, Kependudukan dan Catatan Sipil, Perizinan dan Arsip."
    )
    assert [g.topic for g in extract_groups(c)] == [
        "Kesehatan",
        "Kependudukan dan Catatan Sipil",
        "Perizinan dan Arsip",
    ]


def test_split_items_prefers_the_expected_count():
    assert split_items("A serta B, C dan D", 2) == ["A", "B, C dan D"]
    assert split_items("A, B, C dan D", 4) == ["A", "B", "C", "D"]


# --- participants ----------------------------------------------------------------------------------


def test_participant_total_and_origins_that_add_up():
    c = ctx(
        "Peserta yang mengikuti benchmarking sebanyak 45 orang, terdiri dari "
        "Kabupaten Lombok Barat 20 orang, "
        "Kota Mataram 15 orang dan Kabupaten Sumbawa 10 orang."
    )
    assert participant_count(c).value == 45
    origins = participant_origins(c, SLEMAN.code)
    assert [(o.origin, o.participants) for o in origins] == [
        ("Kabupaten Lombok Barat", 20),
        ("Kota Mataram", 15),
        ("Kabupaten Sumbawa", 10),
    ]
    assert sum(o.participants for o in origins) == 45


def test_participants_outrank_the_party_size():
    c = ctx(
        "Sebanyak 33 pejabat eselon IV belajar ke Sleman.", "Rombongan berjumlah 40 orang dipimpin Dr. Ahmad."
    )
    assert participant_count(c).value == 33


def test_origins_listed_without_counts():
    c = ctx("Para peserta berasal dari Kota Mataram, Kabupaten Bima dan Kabupaten Dompu.")
    assert [o.origin for o in participant_origins(c, SLEMAN.code)] == [
        "Kota Mataram",
        "Kabupaten Bima",
        "Kabupaten Dompu",
    ]


# --- awards ----------------------------------------------------------------------------------------


def test_awards_with_giver_year_and_known_spellings():
    c = ctx(
        "Sleman pernah menerima penghargaan Manggala Karya Kencana dari Kepala BKKBN.",
        "Sleman juga mendapatkan penghargaan Inovatif Government Award 2019 dari Kementerian Dalam Negeri, "
        "dan penghargaan Kota Cerdas Nusantara untuk kategori kabupaten berpenduduk di atas 1 juta jiwa, "
        "serta prestasi lainnya.",
        "Laporan keuangan Sleman kembali diganjar dengan WTP oleh BPK.",
        "Sleman meraih banyak penghargaan dan apresiasi.",
    )
    awards = {a.award: a for a in extract_awards(c, SITE)}
    assert awards["Innovative Government Award"].year == 2019
    assert awards["Innovative Government Award"].giver == "Kementerian Dalam Negeri"
    assert (
        awards["Manggala Karya Kencana"].giver.startswith("Kepala BKKBN") or awards["Manggala Karya Kencana"]
    )
    assert any(name.startswith("Kota Cerdas Nusantara untuk kategori") for name in awards)
    assert awards["Opini WTP"].giver == "BPK"
    assert len(awards) == 4
    assert all(a.recipient == "Kabupaten Sleman" for a in awards.values())


def test_ranked_lists_and_contests_are_awards_but_giver_phrases_are_not():
    c = ctx(
        "Program Desa Digital masuk dalam jajaran 50 Desa Digital 2022 dari Kementerian Desa.",
        "Aplikasi Lapor Sleman menjadi inovasi terbaik di ajang Kompetisi Inovasi Daerah 2023.",
        "Sleman kembali diganjar Penghargaan Pemerintah Pusat.",
    )
    awards = [a.award for a in extract_awards(c, SITE)]
    assert "50 Desa Digital" in awards
    assert "Kompetisi Inovasi Daerah" in awards
    assert not any(a.startswith("Pemerintah") for a in awards)


# --- people ----------------------------------------------------------------------------------------


def test_people_with_roles_in_several_forms():
    c = ctx(
        "Kepala BPSDM Provinsi Nusa Tenggara Barat Hendra Wiratama mengatakan peserta siap belajar.",
        "Rombongan diterima Staf Ahli Bidang Ekonomi dan Pembangunan Sri Lestari di ruang rapat.",
        "Sekretaris Daerah (Sekda) Kabupaten Sleman, Drs. Harda Kiswaya, M.Si menyambut rombongan.",
        "Delegasi dipimpin oleh Ibu Ayu Maharani, Widyaiswara Ahli Madya BPSDM NTB.",
        "Bupati Sleman, Bapak H.A.S. Kustini Sri Purnomo hadir.",
        "Kunjungan dipimpin oleh Dr. Yusuf.",
        "Camat Mlati menyambut peserta.",
    )
    people = {p.name: p.role for p in extract_people(c)}
    assert people["Hendra Wiratama"] == "Kepala BPSDM Provinsi Nusa Tenggara Barat"
    assert people["Sri Lestari"] == "Staf Ahli Bidang Ekonomi dan Pembangunan"
    assert people["Harda Kiswaya"].startswith("Sekretaris Daerah")
    assert people["Ayu Maharani"].startswith("Widyaiswara Ahli Madya")
    assert people["H.A.S. Kustini Sri Purnomo"] == "Bupati Sleman"
    assert people["Yusuf"] == "Pimpinan rombongan"
    assert "Mlati" not in people and len(people) == 6


def test_lower_case_roles_need_a_comma_or_title_before_the_name():
    c = ctx(
        "Rombongan diterima staf ahli bidang administrasi Drs, Tri Handoko di aula.",
        "Sambutan dibacakan kepala bidang diklat BKPP, Nurul Aini,S.IP di ruang rapat.",
        "Ia menjadi kepala sekolah Negeri Bantul sejak lama.",
    )
    assert {p.name: p.role for p in extract_people(c)} == {
        "Tri Handoko": "staf ahli bidang administrasi",
        "Nurul Aini": "kepala bidang diklat BKPP",
    }


def test_a_shorter_mention_of_a_name_merges_into_the_full_name():
    c = ctx(
        "Kepala Dinas Kesehatan Sleman, Budi Santoso Wibowo membuka acara.",
        "Kepala Dinas Budi menutup acara.",
    )
    assert [p.name for p in extract_people(c)] == ["Budi Santoso Wibowo"]


# --- practices -------------------------------------------------------------------------------------


def test_practices_with_acronym_expansion():
    c = ctx(
        "Sleman memiliki Sistem Informasi Desa (Sides) dan layanan Sehari Jadi.",
        "Dispendukcapil menerapkan Simpel, artinya Sistem Pelayanan Elektronik.",
        "Badan Perencanaan Pembangunan Daerah (Bappeda) memaparkan program.",
        "Warga memakai aplikasi Lapor Sleman.",
    )
    practices = {p.name: p for p in extract_practices(c, SITE)}
    assert practices["Sides"].expansion == "Sistem Informasi Desa"
    assert practices["Simpel"].expansion == "Sistem Pelayanan Elektronik"
    assert practices["Simpel"].host_unit == "Disdukcapil"
    assert "Lapor Sleman" in practices
    assert "Bappeda" not in practices
    assert all(p.host_region == "Kabupaten Sleman" and p.summary for p in practices.values())


def test_places_that_do_not_exist_are_not_units():
    c = ctx("Peserta studi tiru Desa Wisata belajar ke Desa Sumberarum dan Kecamatan Digital Sleman.")
    assert [u.name for u in extract_host_units(c, SLEMAN)] == ["Desa Sumberarum"]


def test_balinese_names_keep_their_leading_i_and_short_forms_merge():
    c = ctx(
        "Rombongan diterima Sekretaris Daerah Kabupaten Badung I Wayan Adi Arnawa di Puspem.",
        "Sekda Adi Arnawa menjelaskan berbagai inovasi.",
    )
    assert [(p.name, p.role) for p in extract_people(c)] == [
        ("I Wayan Adi Arnawa", "Sekretaris Daerah Kabupaten Badung")
    ]


def test_listed_loci_joined_by_serta():
    c = ctx(
        "Peserta dibagi menjadi empat kelompok, yakni Dinas Komunikasi dan Informatika, Dinas Kesehatan, "
        "Dinas Sosial serta Kecamatan Mlati."
    )
    assert [g.host_unit for g in extract_groups(c)] == [
        "Dinas Komunikasi dan Informatika",
        "Dinas Kesehatan",
        "Dinas Sosial",
        "Kecamatan Mlati",
    ]


# --- people: forms met in other outlets ------------------------------------------------------------


def test_roles_carry_words_the_vocabulary_does_not_know():
    c = ctx(
        "Rombongan dipimpin Kepala Bidang Sertifikasi Kompetensi dan Pengelolaan Pelatihan BPSDM NTB, "
        "Dra. Wulan Sekarsari, dan diterima Kepala Badan Perencanaan Pembangunan, Penelitian dan "
        "Pengembangan Daerah Kabupaten Sleman, Ir. Bayu Anggara, M.T., di ruang rapat.",
        "Walikota Yogi Pratama dan Kepala BKD Tari Puspita menyambut rombongan.",
    )
    people = {p.name: p.role for p in extract_people(c)}
    assert people == {
        "Wulan Sekarsari": "Kepala Bidang Sertifikasi Kompetensi dan Pengelolaan Pelatihan BPSDM NTB",
        "Bayu Anggara": "Kepala Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah "
        "Kabupaten Sleman",
        "Yogi Pratama": "Walikota",
        "Tari Puspita": "Kepala BKD",
    }


def test_coach_mentor_penguji_and_a_relative_clause_before_the_name():
    c = ctx(
        "Peserta didampingi coach Dr. Ir. Gede Arsana, M.Si dan mentor Dra. Wening Pratiwi, M.A.P, "
        "serta penguji Prof. Dr. Lukas Hutapea, M.A.",
        "Widyaiswara BPSDM NTB yang mendampingi peserta, Drs. Fajar Nugroho, M.Pd, menjelaskan hal itu.",
        "Widyaiswara pendamping dari BPSDM Provinsi Bali, Dra. Made Sariasih, berharap banyak.",
    )
    people = {p.name: p.role for p in extract_people(c)}
    assert people == {
        "Gede Arsana": "coach",
        "Wening Pratiwi": "mentor",
        "Lukas Hutapea": "penguji",
        "Fajar Nugroho": "Widyaiswara BPSDM NTB",
        "Made Sariasih": "Widyaiswara pendamping dari BPSDM Provinsi Bali",
    }


def test_a_degree_ends_the_name_and_venues_are_not_people():
    c = ctx(
        "Rombongan diterima Sekretaris Daerah Kabupaten Sleman, Drs. Harjono Saputra, M.Si. Ia berharap "
        "kerja sama berlanjut.",
        "Bupati Sleman di Pendopo Parasamya Agung menerima rombongan.",
    )
    assert [(p.name, p.role) for p in extract_people(c)] == [
        ("Harjono Saputra", "Sekretaris Daerah Kabupaten Sleman")
    ]


# --- host units: names the alias table does not know ----------------------------------------------


def test_units_the_table_does_not_know_are_named_by_their_own_name():
    c = ctx(
        "Kelompok I berkunjung ke Dinas Kebersihan, Pertamanan dan Pemakaman (DKPP) Kabupaten Sleman; "
        "Kelompok II ke Badan Pelayanan Perijinan Terpadu; Kelompok III ke Kapanewon Depok.",
        "Sleman meraih Anugerah Kota Kreatif dari Badan Ekonomi Kreatif.",
        "Peserta terdiri dari 12 orang dari Dinas Pendidikan dan 8 orang dari Bagian Umum Setda.",
        "Oleh: Bagian Protokol dan Komunikasi Pimpinan",
        "Rombongan diterima Asisten Perekonomian Sekretariat Daerah Kabupaten Sleman di Kantor Bupati "
        "Sleman.",
    )
    units = {u.name: u for u in extract_host_units(c, SLEMAN)}
    assert set(units) == {
        "Dinas Kebersihan, Pertamanan dan Pemakaman Kabupaten Sleman",
        "Badan Pelayanan Perijinan Terpadu",
        "Kecamatan Depok",
    }
    assert units["Badan Pelayanan Perijinan Terpadu"].canonical == "Badan Pelayanan Perijinan Terpadu"


def test_group_topics_lose_their_verbs_and_joining_words():
    c = ctx(
        "Kelompok pertama mempelajari tata kelola arsip di Dinas Perpustakaan dan Kearsipan, kelompok kedua "
        "mendalami layanan akta di Dinas Kependudukan dan Pencatatan Sipil, sedangkan kelompok ketiga "
        "meninjau Dinas Sosial untuk melihat penanganan kemiskinan.",
        "Kelompok IV, dengan tema Pasar Rakyat Digital, berkunjung ke Dinas Perdagangan.",
        "Kelompok V, topik Layanan Kesehatan Dasar di Puskesmas, lokus Dinas Kesehatan Kabupaten Sleman.",
    )
    assert [(g.group_no, g.topic, g.host_unit) for g in extract_groups(c)] == [
        (1, "tata kelola arsip", "Dinas Perpustakaan dan Kearsipan"),
        (2, "layanan akta", "Dinas Kependudukan dan Pencatatan Sipil"),
        (3, "penanganan kemiskinan", "Dinas Sosial"),
        (4, "Pasar Rakyat Digital", "Dinas Perdagangan"),
        (5, "Layanan Kesehatan Dasar di Puskesmas", "Dinas Kesehatan Kabupaten Sleman"),
    ]


def test_counted_groups_listed_after_berkunjung_ke():
    c = ctx(
        "Peserta terbagi dalam tiga kelompok yang masing-masing berkunjung ke Dinas Sosial, RSUD Wates dan "
        "Kapanewon Sewon untuk melihat langsung penerapan program."
    )
    assert [g.host_unit for g in extract_groups(c)] == ["Dinas Sosial", "RSUD Wates", "Kapanewon Sewon"]


# --- awards: forms met in other outlets ------------------------------------------------------------


def test_awards_top_lists_audit_opinions_contests_and_years_around_the_name():
    c = ctx(
        "Inovasi Lapor Sleman masuk Top 99 Inovasi Pelayanan Publik 2020 dari Kementerian PANRB.",
        "Sleman memperoleh opini Wajar Tanpa Pengecualian (WTP) dari BPK delapan kali berturut-turut.",
        "Pada ajang Innovative Government Award 2022 yang diselenggarakan Kementerian Dalam Negeri, "
        "Sleman dinobatkan sebagai Kabupaten Sangat Inovatif.",
        "Pada 2021 Sleman meraih Anugerah Meritokrasi dengan kategori Sangat Baik dari Komisi Aparatur Sipil "
        "Negara.",
    )
    awards = {a.award: (a.giver, a.year) for a in extract_awards(c, SITE)}
    assert awards == {
        "Kompetisi Inovasi Pelayanan Publik": ("Kementerian PANRB", 2020),
        "Opini WTP": ("BPK", None),
        "Innovative Government Award – Kabupaten Sangat Inovatif": ("Kementerian Dalam Negeri", 2022),
        "Anugerah Meritokrasi": ("Komisi Aparatur Sipil Negara", 2021),
    }


def test_grand_words_and_self_declared_titles_are_not_awards():
    c = ctx(
        "Deretan Inovasi Sleman Raih Penghargaan Nasional",
        "Sleman memegang predikat Kabupaten Hijau yang dicanangkan sejak 2018.",
    )
    assert extract_awards(c, SITE) == []


# --- organiser ------------------------------------------------------------------------------------


def test_ministry_acronyms_name_one_organiser():
    from extract.facts.agencies import expand_agencies
    from extract.facts.organiser import extract_organiser

    assert expand_agencies("BPSDM Kemendagri") == "BPSDM Kementerian Dalam Negeri"
    assert expand_agencies("Lembaga Administrasi Negara (LAN)") == "Lembaga Administrasi Negara (LAN)"
    c = ctx(
        "Penyelenggara: Badan Pengembangan Sumber Daya Manusia Kementerian Dalam Negeri.",
        "Peserta didampingi widyaiswara BPSDM Kemendagri selama benchmarking.",
    )
    assert extract_organiser(c, SLEMAN, []) == ("BPSDM Kementerian Dalam Negeri", 0.7)


# --- practices: names in the forms other outlets use ----------------------------------------------


def test_practices_quoted_named_coordinated_and_defined():
    c = ctx(
        "Dinas Kesehatan mengembangkan inovasi bernama SEHAT DESA (Sistem Edukasi Hidup Sehat Desa).",
        'Selain itu Pemkab Sleman menjalankan program "Jumat Bersih Kampung" di 86 desa.',
        "Aplikasi Sleman SIAGA dan LAYANKU sangat menarik untuk diadopsi.",
        "Pojok Baca Digital merupakan layanan perpustakaan keliling berbasis aplikasi.",
        "Diskominfo memaparkan aplikasi Cepat Tanggap Warga (CTW) yang menghimpun aduan.",
        "Badan Pendapatan Daerah menerapkan sistem pajak daring Sleman Smart Tax untuk hotel.",
    )
    practices = {p.name: p for p in extract_practices(c, SITE)}
    assert set(practices) == {
        "SEHAT DESA", "Jumat Bersih Kampung", "Sleman SIAGA", "LAYANKU", "Pojok Baca Digital", "CTW",
        "Sleman Smart Tax",
    }  # fmt: skip
    assert practices["SEHAT DESA"].expansion == "Sistem Edukasi Hidup Sehat Desa"
    assert practices["SEHAT DESA"].host_unit == "Dinkes"
    assert practices["CTW"].expansion == "Cepat Tanggap Warga"
    assert practices["Sleman Smart Tax"].host_unit == "Bapenda"
    assert practices["Pojok Baca Digital"].summary.startswith("Pojok Baca Digital merupakan")


def test_practices_listed_after_program_unggulan():
    c = ctx(
        "Ada lima program unggulan Sleman Sembada, yakni Jaminan Kesehatan Sleman (Jamkesleman), sistem "
        "pangan terpadu (Sipadu), bedah rumah, sarpras atau sarana prasarana desa dan forum warga."
    )
    practices = {p.name: p.expansion for p in extract_practices(c, SITE)}
    assert practices == {
        "Sleman Sembada": None,  # the programme the list belongs to
        "Jamkesleman": "Jaminan Kesehatan Sleman",
        "Sipadu": "sistem pangan terpadu",
        "bedah rumah": None,
        "sarpras": "sarana prasarana desa",
        "forum warga": None,
    }


def test_contests_agencies_places_headlines_and_pointers_are_not_practices():
    c = ctx(
        "Deretan Inovasi Sleman Antar Raih Penghargaan Nasional",
        "Inovasi itu masuk Kompetisi Inovasi Pelayanan Publik (KIPP) dari Kementerian PANRB.",
        "Peserta belajar tentang inovasi Sleman dan layanan di Dinas Kependudukan dan Pencatatan Sipil.",
        "Program ini didukung anggaran Rp 1,8 miliar.",
        "Mereka mencari inovasi baru yang dimiliki Pemkab Sleman.",
        "Pemanfaatan Teknologi Informasi dan Komunikasi (TIK) terus didorong.",
        title="Deretan Inovasi Sleman Antar Raih Penghargaan Nasional",
    )
    assert extract_practices(c, SITE) == []


# --- forms found by a second blind batch --------------------------------------------------------


def test_one_strong_cue_makes_a_visit_and_a_reception_dates_it():
    from extract.facts import extract_facts

    text = (
        "Peserta PKN Tingkat II Belajar Penataan Pasar di Sleman\n\n"
        "SLEMAN – Sebanyak 48 peserta PKN Tingkat II Angkatan ke-3 menggelar studi lapangan di Kabupaten "
        "Sleman, Kamis (2/2/2023)."
    )
    doc = Document("mem://visit", content_id(text.encode()), "text", [Page(1, text)])
    visit = extract_facts(doc).visit
    assert (visit.program, visit.cohort, visit.participant_count) == ("PKN Tingkat II", 3, 48)
    assert str(visit.start_date) == "2023-02-02"


def test_organisers_in_capitals_and_named_pusdiklat():
    from extract.facts.organiser import extract_organiser

    capitals = ctx(
        "DIKLAT KEPEMIMPINAN TINGKAT IV\nBADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI JAWA TENGAH"
    )
    assert extract_organiser(capitals, SLEMAN, [])[0] == "BPSDM Provinsi Jawa Tengah"
    named = ctx("Peserta PKA Pusdiklat Tenaga Administrasi Kementerian Agama melakukan studi lapangan.")
    assert extract_organiser(named, SLEMAN, [])[0] == "Pusdiklat Tenaga Administrasi Kementerian Agama"


def test_days_are_not_names_and_rooms_of_a_unit_are_not_visits_to_it():
    c = ctx(
        "Bupati Sleman menerima peserta di Rumah Dinas Bupati, Senin (10/10).",
        "Rombongan diterima di Ruang Rapat Setda Kabupaten Sleman dan Aula Setda.",
        "Kelompok ke Dinas Perindustrian dan Tenaga Kerja, Dinas Sosial serta Kecamatan Depok.",
    )
    assert extract_people(c) == []
    assert [u.name for u in extract_host_units(c, SLEMAN)] == [
        "Dinas Perindustrian dan Tenaga Kerja",
        "Dinsos",
        "Kecamatan Depok",
    ]


def test_international_givers_and_listed_apps():
    c = ctx(
        "Sleman juga dinobatkan sebagai Kota Kreatif Dunia oleh UNESCO pada 2014.",
        "Sleman memiliki sejumlah inovasi, di antaranya Kampung Batik Digital, aplikasi Sleman Satu Data, "
        "dan layanan Lapor Cepat Wali Kota (Lapak Wali).",
    )
    awards = [(a.award, a.giver, a.year) for a in extract_awards(c, SITE)]
    assert awards == [("Kota Kreatif Dunia", "UNESCO", 2014)]
    assert {p.name for p in extract_practices(c, SITE)} == {
        "Kampung Batik Digital",
        "Sleman Satu Data",
        "Lapor Cepat Wali Kota",
    }


def test_group_units_lose_joining_words_in_every_form():
    numbered = ctx(
        "Kelompok 1 mempelajari perencanaan di Bappeda, dan Kelompok 2 mempelajari layanan di Dinas Sosial, "
        "serta Kelompok 3 ke Kecamatan Depok."
    )
    assert [(g.topic, g.host_unit) for g in extract_groups(numbered)] == [
        ("perencanaan", "Bappeda"),
        ("layanan", "Dinas Sosial"),
        (None, "Kecamatan Depok"),
    ]
    listed = ctx("Peserta dibagi tiga kelompok. Mulai dari Bappeda, dan Dinas Sosial, serta Kecamatan Depok.")
    assert [g.host_unit for g in extract_groups(listed)] == ["Bappeda", "Dinas Sosial", "Kecamatan Depok"]


def test_a_title_sending_the_visit_to_an_unknown_place_gives_no_host_rather_than_the_origin():
    from extract.facts.site import extract_site

    body = "Sebanyak 30 peserta Diklatpim IV Provinsi Sulawesi Tenggara belajar inovasi pelayanan publik."
    unknown = ctx(body, title="Peserta Diklatpim IV Provinsi Sulawesi Tenggara Belajar ke Kota Pelita Raya")
    assert extract_site(unknown) is None
    known = ctx(body, title="Peserta Diklatpim IV Provinsi Sulawesi Tenggara Belajar ke Kota Kendari")
    assert extract_site(known).region == "Kota Kendari"
