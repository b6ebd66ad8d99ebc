"""What each kind of agency posts about, per content category (the captions' raw material).

Every sector lists a few activities, programmes, services, education topics, consultations
and announcements; `GENERIC` fills in for sectors that lack one. Phrases are written to fit
into the caption templates in captions.py.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topics:
    activities: tuple[str, ...] = ()  # "rapat koordinasi percepatan penurunan stunting"
    programs: tuple[str, ...] = ()  # "Program Bontang Sehat Jiwa"
    services: tuple[str, ...] = ()  # "pembuatan KTP elektronik"
    education: tuple[str, ...] = ()  # "cara mencegah demam berdarah"
    participation: tuple[str, ...] = ()  # "rencana penataan trotoar Jalan Ahmad Yani"
    announcements: tuple[str, ...] = ()  # "jadwal pelayanan selama libur nasional"


GENERIC = Topics(
    activities=(
        "apel pagi dan pembinaan pegawai",
        "rapat koordinasi lintas perangkat daerah",
        "monitoring dan evaluasi kinerja triwulan",
        "kunjungan kerja ke kelurahan",
        "penandatanganan perjanjian kinerja",
        "sosialisasi standar pelayanan",
        "bimbingan teknis aparatur",
        "Musrenbang tingkat kelurahan",
        "penyerahan bantuan kepada warga",
        "gotong royong Jumat bersih",
    ),
    programs=(
        "Gerakan Bontang Bersih",
        "program inovasi pelayanan publik",
        "Zona Integritas menuju WBK",
    ),
    services=(
        "layanan pengaduan masyarakat",
        "layanan informasi publik PPID",
        "permohonan informasi secara daring",
    ),
    education=(
        "hak masyarakat atas informasi publik",
        "cara melapor melalui kanal pengaduan",
        "bahaya hoaks di media sosial",
    ),
    participation=("survei kepuasan masyarakat", "usulan program prioritas tahun depan"),
    announcements=("jadwal pelayanan selama cuti bersama", "perubahan jam pelayanan kantor"),
)

SECTORS: dict[str, Topics] = {
    "communication": Topics(
        activities=(
            "pelatihan pengelola media sosial perangkat daerah",
            "rapat koordinasi PPID pelaksana",
            "peluncuran aplikasi layanan warga",
            "monitoring jaringan internet gratis di taman kota",
            "forum komunikasi publik bersama media",
        ),
        programs=(
            "program Bontang Smart City",
            "layanan internet gratis di ruang publik",
            "Satu Data Bontang",
        ),
        services=(
            "pengaduan melalui aplikasi SP4N-LAPOR!",
            "permohonan informasi publik",
            "layanan hotspot gratis",
        ),
        education=(
            "cara mengenali hoaks",
            "menjaga keamanan data pribadi",
            "bijak bermedia sosial",
        ),
        participation=("survei indeks keterbukaan informasi", "usulan titik wifi publik baru"),
        announcements=("gangguan sementara layanan aplikasi", "hasil uji konsekuensi informasi"),
    ),
    "health": Topics(
        activities=(
            "pelaksanaan Posyandu balita",
            "pemberian makanan tambahan bagi balita",
            "rapat koordinasi percepatan penurunan stunting",
            "pemeriksaan kesehatan gratis bagi lansia",
            "fogging di lingkungan RT",
            "pencanangan Bulan Imunisasi Anak Nasional",
        ),
        programs=(
            "program cek kesehatan gratis",
            "Gerakan Masyarakat Hidup Sehat",
            "program penurunan stunting",
            "Bulan Imunisasi Anak Nasional",
        ),
        services=(
            "jadwal pelayanan puskesmas",
            "pendaftaran imunisasi anak",
            "layanan kesehatan ibu hamil",
        ),
        education=(
            "cara mencegah demam berdarah dengan 3M Plus",
            "pentingnya imunisasi lengkap",
            "gizi seimbang untuk balita",
            "bahaya merokok bagi remaja",
            "mengenali gejala hipertensi",
        ),
        participation=("survei kepuasan pelayanan puskesmas", "usulan lokasi posyandu remaja"),
        announcements=("jadwal vaksinasi di puskesmas", "waspada peningkatan kasus DBD"),
    ),
    "hospital": Topics(
        activities=(
            "simulasi penanganan kebakaran di rumah sakit",
            "akreditasi rumah sakit",
            "peresmian ruang rawat inap baru",
            "bakti sosial operasi katarak",
        ),
        programs=("layanan pendaftaran online pasien", "poliklinik sore"),
        services=("jadwal dokter spesialis", "pendaftaran pasien BPJS", "layanan IGD 24 jam"),
        education=(
            "kapan harus ke IGD",
            "cara mendaftar rawat jalan secara online",
            "menjaga kesehatan jantung",
        ),
        participation=("survei kepuasan pasien", "masukan untuk layanan rawat jalan"),
        announcements=("perubahan jadwal poliklinik", "pembatasan jam besuk pasien"),
    ),
    "education": Topics(
        activities=(
            "upacara peringatan Hari Guru Nasional",
            "lomba cerdas cermat tingkat SD",
            "supervisi pembelajaran di sekolah",
            "festival budaya pelajar",
            "pelatihan guru penggerak",
            "pembukaan pekan olahraga pelajar",
        ),
        programs=(
            "Penerimaan Peserta Didik Baru",
            "beasiswa pelajar berprestasi",
            "program Sekolah Ramah Anak",
            "Gerakan Literasi Sekolah",
        ),
        services=("pendaftaran PPDB online", "legalisir ijazah", "mutasi siswa antar sekolah"),
        education=(
            "tips belajar di rumah bersama anak",
            "mencegah perundungan di sekolah",
            "mengenal budaya Kutai dan Bugis di Bontang",
            "pentingnya sarapan sebelum sekolah",
        ),
        participation=(
            "survei kebutuhan guru pendamping",
            "usulan kegiatan ekstrakurikuler",
            "masukan tentang sistem zonasi PPDB",
        ),
        announcements=("jadwal libur semester", "pengumuman hasil seleksi PPDB"),
    ),
    "licensing": Topics(
        activities=(
            "forum konsultasi publik standar pelayanan",
            "temu investor daerah",
            "sosialisasi perizinan berbasis risiko OSS RBA",
        ),
        programs=("Mal Pelayanan Publik", "layanan izin antar ke rumah"),
        services=("pengurusan NIB melalui OSS", "izin usaha mikro", "persetujuan bangunan gedung"),
        education=("langkah mendaftar NIB untuk UMKM", "perbedaan izin dan sertifikat standar"),
        participation=("survei kepuasan masyarakat layanan perizinan",),
        announcements=("jam layanan Mal Pelayanan Publik", "gangguan sistem OSS"),
    ),
    "planning": Topics(
        activities=(
            "Musrenbang RKPD",
            "forum perangkat daerah",
            "seminar hasil penelitian daerah",
            "lomba inovasi daerah",
        ),
        programs=("Rencana Pembangunan Jangka Menengah Daerah", "kompetisi inovasi daerah"),
        services=("permohonan data pembangunan daerah", "izin penelitian"),
        education=("tahapan perencanaan pembangunan", "cara mengusulkan program lewat Musrenbang"),
        participation=(
            "usulan prioritas pembangunan kelurahan",
            "konsultasi publik rancangan RKPD",
        ),
        announcements=("jadwal Musrenbang kecamatan",),
    ),
    "public_works": Topics(
        activities=(
            "peninjauan perbaikan jalan",
            "normalisasi drainase",
            "pengaspalan jalan lingkungan",
            "pemeliharaan lampu penerangan jalan",
            "pembangunan turap sungai",
        ),
        programs=("program penanganan banjir", "peningkatan jalan lingkungan"),
        services=("pengaduan jalan rusak", "informasi tata ruang", "permohonan rekomendasi teknis"),
        education=("jangan buang sampah ke saluran air", "cara melapor jalan rusak"),
        participation=("rencana penataan trotoar Jalan Ahmad Yani", "usulan titik rawan banjir"),
        announcements=("penutupan jalan sementara", "pengalihan arus karena perbaikan jembatan"),
    ),
    "transport": Topics(
        activities=(
            "uji KIR kendaraan angkutan umum",
            "pengaturan lalu lintas jam sekolah",
            "pemasangan rambu lalu lintas",
            "razia parkir liar",
        ),
        programs=("bus sekolah gratis", "penataan parkir tepi jalan"),
        services=("pengujian kendaraan bermotor", "izin trayek angkutan", "jadwal bus sekolah"),
        education=("tertib berlalu lintas", "bahaya parkir sembarangan", "keselamatan berkendara"),
        participation=("usulan rute bus sekolah", "survei titik kemacetan"),
        announcements=("rekayasa lalu lintas", "penutupan sementara ruas jalan"),
    ),
    "social": Topics(
        activities=(
            "penyaluran bantuan sosial",
            "pendataan keluarga penerima manfaat",
            "pelatihan keterampilan bagi penyandang disabilitas",
            "kunjungan ke panti sosial",
        ),
        programs=("Program Keluarga Harapan", "bantuan pangan non tunai", "rumah tidak layak huni"),
        services=("pengusulan DTKS", "pengurusan surat keterangan tidak mampu", "pengaduan bansos"),
        education=("cara cek penerima bansos", "mencegah kekerasan terhadap anak"),
        participation=("usulan calon penerima bantuan", "masukan layanan sosial"),
        announcements=("jadwal penyaluran bantuan", "pembaruan data DTKS"),
    ),
    "environment": Topics(
        activities=(
            "aksi bersih pantai",
            "penanaman mangrove",
            "pengawasan pengelolaan limbah",
            "lomba kampung iklim",
        ),
        programs=("bank sampah", "Program Kampung Iklim", "pengurangan sampah plastik"),
        services=("pengangkutan sampah", "uji kualitas air", "izin lingkungan"),
        education=(
            "memilah sampah dari rumah",
            "manfaat mangrove bagi pesisir",
            "mengurangi plastik sekali pakai",
        ),
        participation=("usulan lokasi bank sampah", "jadwal angkut sampah di lingkungan Anda"),
        announcements=("perubahan jadwal pengangkutan sampah", "penutupan sementara TPA"),
    ),
    "civil_registry": Topics(
        activities=(
            "perekaman KTP elektronik di sekolah",
            "jemput bola akta kelahiran",
            "pelayanan adminduk keliling",
        ),
        programs=("Identitas Kependudukan Digital", "layanan adminduk di kelurahan"),
        services=(
            "pembuatan KTP elektronik",
            "akta kelahiran",
            "kartu identitas anak",
            "pindah datang penduduk",
        ),
        education=(
            "syarat membuat akta kelahiran",
            "cara aktivasi IKD",
            "pentingnya memperbarui kartu keluarga",
        ),
        participation=("survei kepuasan layanan adminduk",),
        announcements=("layanan adminduk hari Sabtu", "ketersediaan blangko KTP-el"),
    ),
    "order": Topics(
        activities=(
            "penertiban pedagang kaki lima",
            "patroli ketertiban malam",
            "pengamanan kegiatan keagamaan",
            "penegakan perda ketertiban umum",
        ),
        programs=("Bontang tertib dan aman",),
        services=("pengaduan ketertiban umum",),
        education=("aturan berjualan di fasilitas umum", "larangan balap liar"),
        participation=("laporan titik rawan gangguan ketertiban",),
        announcements=("penertiban reklame tanpa izin",),
    ),
    "disaster": Topics(
        activities=(
            "simulasi tanggap bencana di sekolah",
            "apel siaga bencana",
            "penanganan pohon tumbang",
            "pemadaman kebakaran lahan",
        ),
        programs=("Kelurahan Tangguh Bencana", "Satuan Pendidikan Aman Bencana"),
        services=("layanan darurat 112", "evakuasi dan bantuan logistik"),
        education=("siaga banjir di musim hujan", "langkah saat gempa", "mencegah kebakaran rumah"),
        participation=("pendataan titik rawan banjir",),
        announcements=("peringatan dini cuaca ekstrem", "status siaga banjir"),
    ),
    "district": Topics(
        activities=(
            "Musrenbang tingkat kecamatan",
            "kerja bakti bersama warga",
            "rapat koordinasi lurah dan ketua RT",
            "pemantauan pembangunan di kelurahan",
            "pelantikan ketua RT",
        ),
        programs=("pelayanan administrasi di kantor kecamatan", "program bantuan RT"),
        services=("surat keterangan domisili", "legalisasi dokumen", "surat pengantar nikah"),
        education=("syarat mengurus surat pindah", "jadwal pelayanan kecamatan"),
        participation=("usulan kegiatan RT", "masukan untuk pembangunan kelurahan"),
        announcements=("jadwal pelayanan selama cuti bersama", "pendaftaran lomba kebersihan RT"),
    ),
    "tourism": Topics(
        activities=(
            "festival budaya pesisir",
            "turnamen sepak bola pelajar",
            "pelatihan pemandu wisata",
            "pembukaan pekan olahraga daerah",
        ),
        programs=("promosi wisata Bontang Kuala", "pembinaan atlet muda"),
        services=("peminjaman fasilitas olahraga", "informasi destinasi wisata"),
        education=("wisata ramah lingkungan", "tips olahraga pagi yang aman"),
        participation=("usulan agenda wisata tahunan",),
        announcements=("jadwal festival", "penutupan sementara stadion"),
    ),
    "civil_service": Topics(
        activities=(
            "pelantikan pejabat administrator",
            "uji kompetensi pegawai",
            "orientasi CPNS",
            "penyerahan SK pensiun",
        ),
        programs=("manajemen talenta ASN", "pengembangan kompetensi aparatur"),
        services=("layanan kenaikan pangkat", "layanan cuti pegawai"),
        education=("netralitas ASN", "disiplin pegawai"),
        participation=("survei budaya kerja ASN",),
        announcements=("pengumuman seleksi PPPK", "jadwal tes kompetensi"),
    ),
    "audit": Topics(
        activities=(
            "reviu laporan keuangan",
            "pendampingan penyusunan laporan kinerja",
            "sosialisasi pencegahan gratifikasi",
        ),
        programs=("Zona Integritas", "Saber Pungli"),
        services=("pengaduan dugaan pungutan liar", "whistleblowing system"),
        education=("apa itu gratifikasi", "cara melapor pungli"),
        participation=("survei persepsi antikorupsi",),
        announcements=("hasil evaluasi SAKIP",),
    ),
    "government": Topics(
        activities=(
            "upacara peringatan hari besar nasional",
            "rapat paripurna",
            "penandatanganan nota kesepahaman",
            "halal bihalal keluarga besar pemkot",
            "penyerahan penghargaan kepada perangkat daerah berprestasi",
        ),
        programs=("reformasi birokrasi", "pelayanan publik terpadu"),
        services=("layanan administrasi pemerintahan", "layanan informasi publik"),
        education=("mengenal struktur pemerintah daerah",),
        participation=("konsultasi publik rancangan peraturan daerah",),
        announcements=("jadwal kerja ASN selama bulan Ramadan", "libur nasional dan cuti bersama"),
    ),
    "finance": Topics(
        activities=("sosialisasi pajak daerah", "pemeriksaan aset daerah", "rekonsiliasi keuangan"),
        programs=("pembayaran PBB secara daring", "pemutihan denda pajak"),
        services=("pembayaran pajak bumi dan bangunan", "cetak SPPT PBB"),
        education=("manfaat membayar pajak daerah", "cara bayar PBB lewat aplikasi"),
        participation=("survei layanan pajak daerah",),
        announcements=("batas akhir pembayaran PBB",),
    ),
    "agriculture": Topics(
        activities=(
            "panen raya",
            "penyaluran bibit kepada kelompok tani",
            "pasar tani murah",
            "pelepasan benih ikan",
        ),
        programs=("pekarangan pangan lestari", "bantuan alat tangkap nelayan"),
        services=("pendaftaran kartu tani", "layanan klinik tanaman"),
        education=("budidaya ikan di kolam terpal", "menanam sayur di pekarangan"),
        participation=("pendataan kebutuhan kelompok tani",),
        announcements=("jadwal pasar murah",),
    ),
    "economy": Topics(
        activities=(
            "pasar murah menjelang hari raya",
            "pelatihan pemasaran digital UMKM",
            "pameran produk UMKM",
            "sidak harga bahan pokok",
        ),
        programs=("sertifikasi halal gratis", "kredit usaha rakyat"),
        services=("pendaftaran UMKM binaan", "tera ulang timbangan"),
        education=("memasarkan produk lewat media sosial", "pentingnya label halal"),
        participation=("survei kebutuhan pelatihan UMKM",),
        announcements=("jadwal pasar murah", "pendaftaran bazar UMKM"),
    ),
    "labour": Topics(
        activities=(
            "bursa kerja",
            "pelatihan kerja berbasis kompetensi",
            "mediasi hubungan industrial",
        ),
        programs=("pelatihan kerja gratis", "kartu pencari kerja"),
        services=("pembuatan kartu kuning", "pengaduan ketenagakerjaan"),
        education=("hak pekerja atas upah minimum", "waspada lowongan kerja palsu"),
        participation=("survei kebutuhan pelatihan kerja",),
        announcements=("pembukaan pendaftaran pelatihan kerja",),
    ),
}


def topics_for(sector: str) -> Topics:
    return SECTORS.get(sector, GENERIC)
