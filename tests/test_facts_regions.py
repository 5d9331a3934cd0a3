"""The Kemendagri gazetteer and finding regions in text."""

from collections import Counter

from extract.facts.regions import gazetteer


def names(text):
    return [[c.name for c in m.candidates] for m in gazetteer().find(text)]


def test_gazetteer_has_every_province_kabupaten_and_kota():
    levels = Counter(r.level for r in gazetteer().regions)
    assert levels["provinsi"] == 38
    assert levels["kabupaten"] + levels["kota"] == 514
    assert gazetteer().by_code["36.71"].name == "Kota Tangerang"
    assert gazetteer().by_code["36.03"].name == "Kabupaten Tangerang"


def test_kota_and_kabupaten_of_the_same_name_are_different_regions():
    assert names("studi ke Kota Tangerang") == [["Kota Tangerang"]]
    assert names("studi ke Kabupaten Tangerang") == [["Kabupaten Tangerang"]]
    assert sorted(names("studi ke Tangerang")[0]) == ["Kabupaten Tangerang", "Kota Tangerang"]


def test_government_prefixes_resolve_the_kind():
    assert names("diterima Pemkot Bogor") == [["Kota Bogor"]]
    assert names("diterima Pemkab Bogor") == [["Kabupaten Bogor"]]
    assert names("program Pemprov Jawa Timur") == [["Jawa Timur"]]
    assert names("Bupati Malang menyambut") == [["Kabupaten Malang"]]
    assert names("Walikota Malang menyambut") == [["Kota Malang"]]


def test_informal_names_and_spacing_variants():
    assert names("ke Pemkot Jogja") == [["Kota Yogyakarta"]]
    assert names("rombongan dari Padangpariaman") == [["Kabupaten Padang Pariaman"]]
    assert names("Regional Lubuklinggau") == [["Kota Lubuk Linggau"]]
    assert names("BPPD Sulteng") == [["Sulawesi Tengah"]]


def test_longest_name_wins():
    assert names("Kabupaten Buru Selatan 5 orang") == [["Kabupaten Buru Selatan"]]
    assert names("Kabupaten Lima Puluh Kota Provinsi Sumatera Barat") == [
        ["Kabupaten Lima Puluh Kota"],
        ["Sumatera Barat"],
    ]


def test_lower_case_words_are_not_regions():
    assert names("ia akan buru waktu dan kota tujuan wisata") == []


def test_kecamatan_resolves_inside_its_regency():
    found = gazetteer().find("Kantor Kecamatan Karawaci")
    assert [c.code for c in found[0].candidates] == ["36.71.07"]
    assert gazetteer().kecamatan_in("Depok", "34.04").code.startswith("34.04.")


def test_resolve_names_with_prefixes():
    g = gazetteer()
    assert g.resolve("Pemerintah Kota Semarang").code == "33.74"
    assert g.resolve("Kabupaten Semarang").code == "33.22"
    assert g.resolve("Semarang") is None  # ambiguous
    assert g.resolve("DI Yogyakarta", "provinsi").code == "34"
