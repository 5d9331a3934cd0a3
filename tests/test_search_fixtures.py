"""Invented Indonesian benchmarking reports for the search tests (no real text is copied)."""

from __future__ import annotations

from extract.model import Document, Page, text_hash

MAL_PELAYANAN = """Peserta PKA Angkatan 4 Belajar Mal Pelayanan Publik Kabupaten Sukamaju

Sebanyak 32 peserta Pelatihan Kepemimpinan Administrator (PKA) angkatan 4 mengunjungi Kabupaten \
Sukamaju sebagai lokus benchmarking. Kelompok 1 mempelajari Mal Pelayanan Publik (MPP) yang \
menyatukan 210 jenis layanan dari 18 instansi dalam satu gedung, mulai dari perizinan usaha, \
kependudukan, pajak kendaraan hingga layanan perbankan.

Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu menjelaskan bahwa warga cukup datang \
sekali untuk mengurus beberapa dokumen sekaligus. Antrean dipantau secara daring dan waktu tunggu \
rata-rata turun dari dua jam menjadi dua puluh menit sejak gedung layanan terpadu itu dibuka."""

BANK_SAMPAH = """Benchmarking Diklatpim IV ke Kota Tirtaraya: Bank Sampah Kelurahan

Peserta Diklatpim IV dari Kabupaten Bukit Jaya melakukan studi lapangan ke Kota Tirtaraya untuk \
melihat pengelolaan sampah berbasis masyarakat. Setiap kelurahan memiliki bank sampah yang \
menampung plastik, kertas dan logam dari rumah tangga, lalu menjualnya kepada pengepul.

Dinas Lingkungan Hidup mencatat volume sampah yang dibuang ke tempat pemrosesan akhir berkurang \
hampir sepertiga. Warga menabung hasil penjualan sampah dan dapat menukarnya dengan beras atau \
membayar iuran kebersihan. Kelompok 3 menilai program kebersihan lingkungan ini mudah ditiru di \
daerah asal mereka."""

UMKM = """Pengentasan Kemiskinan melalui Pendampingan UMKM di Kabupaten Lembah Hijau

Kelompok 2 peserta PKP angkatan 7 mempelajari strategi penanggulangan kemiskinan di Kabupaten \
Lembah Hijau. Dinas Koperasi dan Usaha Mikro mendampingi 1.200 pelaku usaha mikro dari keluarga \
prasejahtera dengan pelatihan pemasaran, pengemasan produk dan akses kredit tanpa agunan.

Angka kemiskinan kabupaten turun dari 14 persen menjadi 9 persen dalam lima tahun. Produk olahan \
pangan warga kini dijual di toko desa dan lokapasar daring."""

E_PLANNING = """Bappeda Kota Sinar Bahari dan Perencanaan Pembangunan Daring

Peserta PKN II mengunjungi Badan Perencanaan Pembangunan Daerah (Bappeda) Kota Sinar Bahari. \
Usulan musyawarah perencanaan pembangunan (musrenbang) dari tingkat kelurahan dikirim lewat \
aplikasi e-musrenbang, lalu diverifikasi dan dipadukan dengan rencana kerja perangkat daerah.

Sistem e-planning menghubungkan dokumen RPJMD, rencana kerja dan anggaran sehingga setiap program \
dapat ditelusuri dari usulan warga hingga realisasi belanja."""

SAKIP = """Akuntabilitas Kinerja Pemerintah Kabupaten Padang Ilalang

Kabupaten Padang Ilalang meraih predikat A dalam evaluasi Sistem Akuntabilitas Kinerja Instansi \
Pemerintah (SAKIP) tahun 2018. Peserta Diklatpim III mempelajari cara perangkat daerah menyusun \
indikator kinerja utama dan perjanjian kinerja yang berjenjang sampai eselon IV.

Bupati menerbitkan Surat Edaran SE 800/123 tentang pemantauan capaian kinerja setiap triwulan. \
Hasil pemantauan dibahas dalam rapat evaluasi dan dikaitkan dengan tunjangan kinerja pegawai."""

PUSKESMAS_PAGE_1 = """Kunjungan Lapangan ke Kecamatan Karang Asri

Kelompok 4 peserta Diklatpim III belajar di Kecamatan Karang Asri tentang peran camat dalam \
pelayanan kesehatan dasar. Kecamatan bekerja sama dengan puskesmas membentuk posyandu keliling \
yang menjangkau dusun terpencil setiap pekan."""

PUSKESMAS_PAGE_2 = """Inovasi kecamatan lainnya adalah layanan administrasi kependudukan di kantor \
kecamatan pada hari Sabtu, sehingga pekerja dapat mengurus dokumen tanpa meninggalkan pekerjaan.

Camat juga memimpin rapat koordinasi bulanan dengan kepala desa untuk memantau ibu hamil dan balita \
berisiko tengkes."""

WITHDRAWN_SAMPAH = """Berita lama: bank sampah, bank sampah, pengelolaan sampah di Kota Tirtaraya \
(dokumen ini sudah ditarik dan tidak boleh muncul di hasil pencarian)."""


def make_document(name: str, pages: list[str], title: str | None = None) -> Document:
    """A document read from an invented source `name`, with one Page per text."""
    body = "\f".join(pages)
    return Document(
        source_uri=f"/fixtures/{name}",
        sha256=text_hash(name + body),
        doc_type="pdf" if name.endswith(".pdf") else "text",
        pages=[Page(number=i + 1, text=text) for i, text in enumerate(pages)],
        title=title or pages[0].splitlines()[0],
        language="id",
    )


def fixture_documents() -> dict[str, Document]:
    """The fixture corpus by file name."""
    return {
        "mal.txt": make_document("mal.txt", [MAL_PELAYANAN]),
        "sampah.txt": make_document("sampah.txt", [BANK_SAMPAH]),
        "umkm.txt": make_document("umkm.txt", [UMKM]),
        "eplanning.txt": make_document("eplanning.txt", [E_PLANNING]),
        "sakip.txt": make_document("sakip.txt", [SAKIP]),
        "kecamatan.pdf": make_document("kecamatan.pdf", [PUSKESMAS_PAGE_1, PUSKESMAS_PAGE_2]),
    }
