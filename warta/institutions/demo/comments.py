"""What the public writes under the demo's posts: Indonesian, often informal, sometimes rude.

Each template carries the intent and sentiment a reader would give it, so that the
generator can decide which ones an officer answers. The labels are NOT written to the
inbox: annotating is the language engine's job. A small share of comments carries
hostile markup or template syntax, to exercise escaping wherever public text is shown.
"""

import random
from dataclasses import dataclass

from warta.lib.categories import PostCategory


@dataclass(frozen=True)
class Comment:
    text: str
    intent: str  # question, complaint, information_request, suggestion, praise, other
    sentiment: str  # positive, neutral, negative
    abusive: bool = False

    @property
    def wants_answer(self) -> bool:
        return self.intent in {"question", "complaint", "information_request"}


PRAISE = (
    "Mantap min, semoga makin sukses 👍",
    "Keren banget programnya, lanjutkan!",
    "Terima kasih pak, pelayanannya cepat sekali",
    "Alhamdulillah, sangat membantu warga 🙏",
    "Mantul {short}! Bangga sama {place}",
    "Sukses selalu untuk {short} 💪",
    "Bagus kegiatannya, semoga rutin diadakan",
    "mantap jiwa min",
    "Top markotop 👏👏",
    "Petugasnya ramah2, terima kasih banyak",
    "Semoga berkah, aamiin",
    "Saya sudah coba, prosesnya cepat. Terima kasih {short}",
)
QUESTIONS = (
    "Min, kalau mau {service} syaratnya apa aja ya?",
    "Kapan dibuka lagi pendaftarannya min?",
    "Apakah bisa diurus online atau harus datang langsung?",
    "ini buat warga {village} juga kah?",
    "Jam berapa tutupnya kak? Sabtu buka ga?",
    "gmn caranya daftar min? linknya mana",
    "Apakah ada biayanya? 🙏",
    "Min, kalau KTP luar daerah bisa ikut?",
    "Kegiatan kayak gini ada lagi kapan ya?",
    "Kok saya belum dapat info ya, daftarnya dimana?",
    "Permisi min, untuk {service} berapa lama prosesnya?",
)
COMPLAINTS = (
    "Sudah 2 minggu urus {service} belum selesai juga, tolong ditindaklanjuti",
    "Jalan di {village} rusak parah min, kapan diperbaiki??",
    "Pelayanan lambat, antri dari pagi sampai siang belum dipanggil",
    "Lampu jalan di dekat rumah saya mati sudah sebulan",
    "Sampah di {village} tidak diangkut sudah 4 hari, bau sekali",
    "Ditelpon ga pernah diangkat, WA juga ga dibalas 😤",
    "Aplikasinya error terus min, ga bisa login",
    "Tolong drainase di {village} dibersihkan, tiap hujan banjir",
    "Kok cuma foto2 aja, realisasinya mana?",
    "Kegiatan terus, tapi pelayanan tetap lambat",
)
REQUESTS = (
    "Mohon info jadwal {service} bulan ini",
    "Min, minta data penerima bantuan di {village}",
    "Saya mau minta salinan dokumen anggaran kegiatan ini, prosedurnya bagaimana?",
    "Mohon informasi nomor kontak petugas yang bisa dihubungi",
    "Bisa minta rincian biaya kegiatan ini? Sebagai warga saya ingin tahu",
    "Mohon dibagikan daftar lokasi layanan terdekat",
)
SUGGESTIONS = (
    "Saran min, pelayanannya dibuka juga hari Sabtu biar pekerja bisa datang",
    "Sebaiknya ada layanan online supaya tidak perlu antri",
    "Usul: tambah titik di {village}, di sini belum ada",
    "Kalau bisa infonya diumumkan lebih awal, jadi warga bisa siap-siap",
    "Mohon ditambah petugasnya, kasihan yang antri lama",
    "Perlu juga sosialisasi ke sekolah-sekolah",
)
OTHER = (
    "Hadir 🙋",
    "Lokasinya dimana itu min?",
    "Wah ada saya di foto ketiga 😁",
    "👍👍",
    "Salam dari {village}",
    "Semangat!",
    "first",
    "Izin share ya min",
)
ABUSIVE = (
    "Dasar pejabat makan gaji buta, kerjanya cuma foto2!",
    "goblok, dari dulu ga ada perubahan",
    "bodoh amat pelayanannya, anjir lama bgt",
    "Bacot doang, buktinya nol",
    "Pemerintah tolol, uang rakyat dihambur-hamburkan",
    "Kampret, urus KTP aja berbulan-bulan",
)
SPAM = (
    "Mau penghasilan tambahan? Cek bio aku ya kak 💰💰",
    "Jual followers murah, DM aja",
    "Slot gacor hari ini, link di bio!!!",
)
# Untrusted input a page must show as text: markup, script, template syntax, SQL.
HOSTILE = (
    "<script>alert('xss')</script> kapan jalannya diperbaiki?",
    "<img src=x onerror=alert(document.cookie)> mantap min",
    'Info lengkap di <a href="javascript:alert(1)">sini</a>',
    "{{ request.user.password }} {% debug %} tolong dibalas",
    "'; DROP TABLE institutions_agency; -- kapan buka pendaftaran?",
    '<iframe src="http://127.0.0.1:8000/admin/"></iframe>',
    "<b>PENTING</b> <style>body{display:none}</style> baca ini",
)

DIRECT_MESSAGES = (
    "Selamat siang, saya mau tanya prosedur {service}. Terima kasih",
    "Permisi min, saya ingin melapor pungutan liar di kantor kelurahan {village}",
    "Halo, mohon bantuannya, data saya di sistem salah. Nama saya tertulis keliru",
    "Min, saya kirim berkas lewat sini boleh?",
    "Assalamualaikum, mau tanya lowongan magang untuk mahasiswa",
)

# (weights of praise, question, complaint, request, suggestion, other) per post category
MIX: dict[str, tuple[int, ...]] = {
    PostCategory.ACTIVITY: (40, 12, 18, 5, 5, 20),
    PostCategory.PROGRAM: (30, 30, 12, 8, 10, 10),
    PostCategory.SERVICE: (15, 45, 20, 10, 5, 5),
    PostCategory.EDUCATION: (40, 20, 8, 5, 10, 17),
    PostCategory.PARTICIPATION: (10, 15, 15, 5, 50, 5),
    PostCategory.ANNOUNCEMENT: (15, 40, 20, 10, 5, 10),
}
POOLS = (
    (PRAISE, "praise", "positive"),
    (QUESTIONS, "question", "neutral"),
    (COMPLAINTS, "complaint", "negative"),
    (REQUESTS, "information_request", "neutral"),
    (SUGGESTIONS, "suggestion", "neutral"),
    (OTHER, "other", "neutral"),
)


def make_comment(
    rng: random.Random, *, category: str, short: str, place: str, village: str, service: str
) -> Comment:
    roll = rng.random()
    fill = {"short": short, "place": place, "village": village, "service": service}
    if roll < 0.012:
        return Comment(rng.choice(HOSTILE), "other", "neutral")
    if roll < 0.05:
        return Comment(rng.choice(ABUSIVE), "complaint", "negative", abusive=True)
    if roll < 0.065:
        return Comment(rng.choice(SPAM), "other", "neutral")
    pool, intent, sentiment = rng.choices(POOLS, weights=MIX.get(category, MIX["activity"]))[0]
    text = rng.choice(pool).format(**fill)
    if rng.random() < 0.15:
        # People write fast: lower case, no full stop, stretched letters.
        text = text.lower().rstrip(".") + rng.choice(("", " min", " kak", "!!", " 🙏", "..."))
    return Comment(text, intent, sentiment)


def make_direct_message(rng: random.Random, *, village: str, service: str) -> Comment:
    text = rng.choice(DIRECT_MESSAGES).format(village=village, service=service)
    return Comment(text, "information_request" if "tanya" in text else "complaint", "neutral")
