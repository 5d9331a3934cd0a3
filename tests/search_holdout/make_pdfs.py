"""Write the report-like PDFs of the search hold-out set from the texts kept in this script.

Run from the repository root: `.venv/bin/python tests/search_holdout/make_pdfs.py`.
The texts are invented; core fonts only, so they stay within Latin-1.
"""

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

DOCS = Path(__file__).parent / "docs"

# name: (title, subtitle, paragraphs, date written into the PDF metadata)
REPORTS: dict[str, tuple[str, str, list[str], datetime]] = {
    "04.pdf": (
        "LAPORAN KELOMPOK 2",
        "Pelatihan Kepemimpinan Nasional Tingkat II Angkatan V Tahun 2022",
        [
            "BAB I. PENDAHULUAN",
            "Benchmarking to best practice merupakan bagian dari agenda pembelajaran kepemimpinan "
            "strategis. Kelompok 2 yang beranggotakan sembilan peserta melaksanakan kunjungan pada "
            "14-18 Maret 2022 ke tiga lokus: Kota Sukamaju, Kabupaten Banyuasri dan Kota Tanjung Seruni. "
            "Tujuannya adalah memperoleh gambaran inovasi pelayanan yang dapat diadaptasi ke dalam "
            "proyek perubahan masing-masing peserta.",
            "BAB II. HASIL PENGAMATAN",
            "2.1 Kota Sukamaju. Peserta mengamati Mal Pelayanan Publik yang menghimpun 23 instansi dalam "
            "satu gedung. Perizinan berusaha dilayani secara paralel melalui aplikasi DPMPTSP, sehingga "
            "izin usaha mikro dapat terbit pada hari yang sama. Faktor kunci: komitmen kepala daerah dan "
            "perjanjian kerja sama dengan instansi vertikal.",
            "2.2 Kabupaten Banyuasri. Peserta mengunjungi bank sampah induk dan dua TPS3R. Pengurangan "
            "sampah dari sumbernya menurunkan volume sampah ke TPA hampir 40 persen dan berkontribusi pada "
            "penghargaan Adipura Kencana. Tabungan sampah warga dapat dipakai membayar iuran BPJS.",
            "2.3 Kota Tanjung Seruni. Peserta meninjau ruang kendali kota cerdas yang mengintegrasikan "
            "data lalu lintas, kebencanaan, persampahan dan pengaduan warga. Setiap aduan memiliki batas "
            "waktu tindak lanjut tiga hari dan dipantau langsung oleh wali kota.",
            "BAB III. PEMBELAJARAN",
            "Ketiga lokus menunjukkan bahwa inovasi bertahan bila didukung regulasi daerah, anggaran yang "
            "berkelanjutan dan data yang dibagi lintas perangkat daerah. Kelompok merekomendasikan agar "
            "setiap peserta memilih satu praktik yang paling dekat dengan tugas unit kerjanya.",
        ],
        datetime(2022, 3, 25, tzinfo=UTC),
    ),
    "13.pdf": (
        "LAPORAN STUDI LAPANGAN",
        "Pelatihan Kepemimpinan Pengawas Angkatan IX Tahun 2023 - Kelompok 4",
        [
            "Lokus: Kabupaten Lembah Hijau. Tanggal kunjungan: 12 Juni 2023.",
            "Latar belakang. Kabupaten Lembah Hijau menurunkan prevalensi anak bertubuh pendek dari "
            "33,1 persen (2018) menjadi 19,7 persen (2022). Kelompok 4 memilih lokus ini karena daerah "
            "asal peserta masih mencatat prevalensi di atas 30 persen.",
            "Temuan 1: Data sasaran tunggal. Dinas kesehatan, dinas sosial, dinas PUPR dan pemerintah desa "
            "menggunakan satu daftar keluarga berisiko yang diperbarui setiap bulan dari hasil penimbangan "
            "di posyandu.",
            "Temuan 2: Kader sebagai ujung tombak. Kader di 612 posyandu mencatat berat dan tinggi badan "
            "balita melalui aplikasi, sehingga bidan desa segera mengetahui balita yang pertumbuhannya "
            "terhambat. Kader menerima insentif dari dana desa.",
            "Temuan 3: Intervensi sebelum lahir. Calon pengantin memeriksakan hemoglobin dan lingkar "
            "lengan atas; ibu hamil dengan risiko kurang energi kronis mendapat makanan tambahan lokal.",
            "Rencana tindak lanjut. Peserta akan mengusulkan pelatihan kader posyandu dan penggunaan satu "
            "data sasaran di kecamatan masing-masing sebagai bagian dari aksi perubahan.",
        ],
        datetime(2023, 6, 20, tzinfo=UTC),
    ),
    "24.pdf": (
        "DARI USULAN WARGA KE APBD",
        "Kajian Singkat Bidang Penelitian dan Pengembangan Bappeda Kabupaten Sirna Jaya, 2020",
        [
            "Ringkasan. Kajian ini menilai tujuh tahun penerapan sistem informasi perencanaan pembangunan "
            "daerah di Kabupaten Sirna Jaya, mulai dari musyawarah perencanaan pembangunan desa berbasis "
            "elektronik hingga penyusunan rencana kerja perangkat daerah.",
            "Temuan. Pada 2019 tercatat 9.812 usulan dari 270 desa. Sebanyak 38 persen diakomodasi dalam "
            "anggaran perangkat daerah, naik dari 17 persen pada 2013 sebelum sistem diterapkan. Waktu "
            "rekapitulasi usulan di tingkat kabupaten turun dari enam minggu menjadi lima hari.",
            "Sistem ini juga membuat pokok-pokok pikiran DPRD tercatat dalam jalur yang sama dengan usulan "
            "masyarakat, sehingga dapat ditelusuri dan dibandingkan.",
            "Kendala. Koneksi internet di 41 desa belum stabil, operator desa sering berganti, dan sebagian "
            "perangkat daerah masih menyusun kegiatan di luar sistem lalu memasukkannya belakangan.",
            "Rekomendasi. Pelatihan operator desa setiap tahun, integrasi dengan sistem keuangan daerah, "
            "serta publikasi status usulan agar warga dapat memantau.",
            "Sejak 2015 kabupaten ini dikunjungi lebih dari 20 rombongan pemerintah daerah dan peserta "
            "diklat kepemimpinan yang mempelajari sistem tersebut.",
        ],
        datetime(2020, 11, 2, tzinfo=UTC),
    ),
    "32.pdf": (
        "BENCHMARKING REPORT / LAPORAN BENCHMARKING",
        "Leadership Training for Administrators (Diklatpim III) Cohort XVII, Group 1 - 2019",
        [
            "Executive summary. Group 1 visited two rural districts to compare approaches to poverty "
            "reduction: Teluk Damar (East Nusa Tenggara) and Rawa Indah (South Sumatra), on 8-11 July 2019.",
            "Teluk Damar targets extremely poor households with small livestock, weaving and fish "
            "processing businesses, with a year of mentoring for each family. Rawa Indah focuses on "
            "renovating uninhabitable houses and on village-owned enterprises (BUMDes) funded partly by "
            "the village fund.",
            "Both districts use a single, annually verified list of poor households so that programmes "
            "from different agencies reach the same families.",
            "Ringkasan dalam Bahasa Indonesia. Kelompok 1 Diklatpim III angkatan XVII membandingkan "
            "strategi penanggulangan kemiskinan di Kabupaten Teluk Damar dan Kabupaten Rawa Indah. "
            "Keduanya menggunakan data terpadu yang diverifikasi setiap tahun. Teluk Damar menekankan "
            "modal usaha dan pendampingan keluarga, sedangkan Rawa Indah menekankan bedah rumah dan "
            "penguatan BUMDes.",
            "Recommendation. Participants propose a joint verification of the poor household list by "
            "village officials and social workers before any programme is budgeted.",
        ],
        datetime(2019, 7, 22, tzinfo=UTC),
    ),
    "36.pdf": (
        "LAPORAN VISITASI",
        "Pelatihan Kepemimpinan Administrator Angkatan I Tahun 2018 - Kelompok 3",
        [
            "Lokus: Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Tenggara, Kendari, 17 April 2018.",
            "Pemerintah Provinsi Sulawesi Tenggara memperoleh nilai BB dalam evaluasi akuntabilitas "
            "kinerja instansi pemerintah tahun 2017, naik dari nilai C tiga tahun sebelumnya. Biro "
            "Organisasi mendampingi setiap perangkat daerah provinsi menyusun indikator kinerja utama, "
            "perjanjian kinerja dan laporan kinerja tahunan.",
            "Peserta mencatat tiga praktik: klinik akuntabilitas kinerja setiap bulan, pemeringkatan "
            "perangkat daerah berdasarkan capaian sasaran yang diumumkan di rapat pimpinan, dan penilaian "
            "mandiri sebelum evaluasi oleh kementerian.",
            "Kendala yang disampaikan tuan rumah adalah perbedaan pemahaman antara perencana dan pengelola "
            "keuangan, serta indikator yang masih berupa keluaran kegiatan, bukan hasil.",
            "Pembelajaran bagi peserta: peningkatan nilai akuntabilitas kinerja membutuhkan pendampingan "
            "yang rutin, bukan hanya penyusunan dokumen menjelang evaluasi.",
        ],
        datetime(2018, 4, 27, tzinfo=UTC),
    ),
}


def write_report(name: str, title: str, subtitle: str, paragraphs: list[str], written: datetime) -> None:
    """Write one report to docs/<name>, dated `written` so regenerating gives the same bytes."""
    pdf = FPDF()
    pdf.set_creation_date(written)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(4)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(DOCS / name))


def main() -> None:
    """Write every report."""
    DOCS.mkdir(exist_ok=True)
    for name, (title, subtitle, paragraphs, written) in REPORTS.items():
        write_report(name, title, subtitle, paragraphs, written)


if __name__ == "__main__":
    main()
