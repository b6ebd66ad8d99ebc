"""Indonesian captions for the demo's posts: six content categories, two tones.

"formal" is the protocol style most agencies write in (who attended what, where, when);
"friendly" speaks to the public, asks questions and uses a few emoji. The head-change
scenario moves an agency from the first to the second.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from warta.institutions.demo.places import AgencySpec, RegionSpec
from warta.institutions.demo.topics import GENERIC, Topics, topics_for
from warta.lib.categories import PostCategory

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
VERBS = ("menghadiri", "membuka", "memimpin", "meninjau")
FORMAL_MESSAGES = (
    "sinergi seluruh pemangku kepentingan menjadi kunci keberhasilan program",
    "pelayanan kepada masyarakat harus terus ditingkatkan",
    "kegiatan ini diharapkan memberi manfaat langsung bagi masyarakat",
    "seluruh jajaran diminta bekerja dengan penuh tanggung jawab",
    "pemerintah hadir untuk memastikan kebutuhan warga terpenuhi",
    "evaluasi berkala diperlukan agar target tahun ini tercapai",
)
FORMAL_CLOSINGS = (
    "Kegiatan berlangsung dengan tertib dan lancar.",
    "Turut hadir para kepala bidang serta perwakilan kelurahan.",
    "Kegiatan ditutup dengan foto bersama.",
    "Semoga kegiatan ini membawa manfaat bagi kita semua.",
    "",
)
FRIENDLY_OPENERS = (
    "Halo warga {place}! 👋 ",
    "Sobat {place}, ",
    "Hai Sahabat {short}! ",
    "Kabar baik nih! ✨ ",
    "Yuk simak! 👇 ",
    "",
)
FRIENDLY_ASKS = (
    "Ada pertanyaan? Tulis di kolom komentar ya 👇",
    "Menurut kamu, apa yang perlu ditingkatkan? Kami tunggu masukannya!",
    "Bagikan ke keluarga dan tetangga supaya makin banyak yang tahu 🙏",
    "Sudah pernah coba? Ceritakan pengalamanmu di komentar!",
    "Tandai temanmu yang perlu tahu info ini!",
)


@dataclass(frozen=True)
class Caption:
    title: str
    message: str
    hashtags: tuple[str, ...]


def local_date(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]} ({moment.day} {MONTHS[moment.month - 1]} {moment.year})"


def _choose(rng: random.Random, values: tuple[str, ...], fallback: tuple[str, ...]) -> str:
    return rng.choice(values or fallback)


def hashtags_for(agency: AgencySpec, region: RegionSpec, rng: random.Random) -> tuple[str, ...]:
    stem = agency.short_name.replace(" ", "").replace(".", "")
    tags = [f"#{stem}{region.place.replace(' ', '')}", f"#{region.hashtag}"]
    if rng.random() < 0.6:
        tags.append(
            f"#Pemkot{region.place.replace(' ', '')}"
            if region.kind == "kota"
            else f"#Pemkab{region.place.replace(' ', '')}"
        )
    if rng.random() < 0.25:
        tags.append(
            rng.choice(
                (
                    "#MelayaniDenganHati",
                    "#ASNBerAKHLAK",
                    "#InfoPublik",
                    "#KaltimBerdaulat",
                    "#BanggaMelayaniBangsa",
                )
            )
        )
    return tuple(tags)


def make_caption(
    *,
    rng: random.Random,
    category: str,
    tone: str,
    agency: AgencySpec,
    region: RegionSpec,
    head_name: str,
    moment: datetime,  # in the region's local time
) -> Caption:
    topics: Topics = topics_for(agency.sector)
    village = rng.choice(region.villages) if region.villages else region.place
    district = rng.choice(region.districts) if region.districts else region.place
    where = rng.choice(
        (
            f"Kelurahan {village}",
            f"Kecamatan {district}",
            f"Aula Kantor {agency.short_name}",
            "Pendopo Rumah Jabatan Wali Kota" if region.kind == "kota" else "Pendopo Kabupaten",
        )
    )
    when = local_date(moment)
    friendly = tone == "friendly"
    opener = rng.choice(FRIENDLY_OPENERS).format(place=region.place, short=agency.short_name)
    ask = rng.choice(FRIENDLY_ASKS)
    c = PostCategory
    if category == c.ACTIVITY:
        thing = _choose(rng, topics.activities, GENERIC.activities)
        title = thing[0].upper() + thing[1:]
        if friendly:
            body = (
                f"{opener}Hari ini tim {agency.short_name} turun langsung ke Kelurahan "
                f"{village} untuk {thing}. Terima kasih untuk warga yang sudah ikut "
                f"berpartisipasi! 💪 {ask}"
            )
        else:
            body = (
                f"{agency.head_title} {head_name} {rng.choice(VERBS)} {thing} di {where}, "
                f"{when}. Dalam kesempatan tersebut, beliau menyampaikan bahwa "
                f"{rng.choice(FORMAL_MESSAGES)}. {rng.choice(FORMAL_CLOSINGS)}"
            )
    elif category == c.PROGRAM:
        thing = _choose(rng, topics.programs, GENERIC.programs)
        title = thing[0].upper() + thing[1:]
        if friendly:
            body = (
                f"{opener}Kenalan yuk dengan {thing}! Program ini hadir supaya layanan untuk "
                f"warga {region.place} makin mudah dan dekat. Info lengkap cek tautan di bio. "
                f"{ask}"
            )
        else:
            body = (
                f"Pemerintah {region.name} melalui {agency.name} terus melaksanakan {thing}. "
                f"Hingga {MONTHS[moment.month - 1]} {moment.year}, program ini telah "
                f"menjangkau {rng.randint(3, 40) * 50} warga di {rng.randint(2, 15)} kelurahan. "
                f"{rng.choice(FORMAL_CLOSINGS)}"
            )
    elif category == c.SERVICE:
        thing = _choose(rng, topics.services, GENERIC.services)
        service = thing if thing.startswith("layanan") else f"layanan {thing}"
        title = service[0].upper() + service[1:]
        zone = ZONE_NAMES.get(region.timezone, "WIB")
        hours = rng.choice(("07.30-15.00", "08.00-14.00", "08.00-16.00")) + f" {zone}"
        if friendly:
            body = (
                f"{opener}Butuh {thing}? Datang ke kantor {agency.short_name} "
                f"Senin-Jumat pukul {hours}, atau daftar online lewat laman resmi kami. "
                f"Gratis, tanpa calo! 🙌 {ask}"
            )
        else:
            body = (
                f"Informasi {service} di {agency.name}: pelayanan dibuka Senin s.d. Jumat "
                f"pukul {hours}. Persyaratan lengkap dapat dilihat di laman "
                f"{agency.slug}.{region.domain}. Seluruh layanan tidak dipungut biaya."
            )
    elif category == c.EDUCATION:
        thing = _choose(rng, topics.education, GENERIC.education)
        title = thing[0].upper() + thing[1:]
        tips = rng.sample(
            (
                "Pertama, kenali tandanya sejak dini.",
                "Kedua, ajak keluarga terlibat.",
                "Ingat, mencegah lebih baik daripada mengobati.",
                "Simpan informasi ini untuk dibagikan.",
                "Jangan ragu bertanya kepada petugas kami.",
            ),
            2,
        )
        if friendly:
            body = f"{opener}Yuk pahami {thing}! 💡 {' '.join(tips)} {ask}"
        else:
            body = (
                f"Edukasi: {thing}. {' '.join(tips)} Informasi lebih lanjut hubungi {agency.name}."
            )
    elif category == c.PARTICIPATION:
        thing = _choose(rng, topics.participation, GENERIC.participation)
        title = f"Konsultasi: {thing}"
        if friendly:
            body = (
                f"{opener}Suaramu penting! Kami sedang mengumpulkan masukan tentang {thing}. "
                f"Tulis pendapatmu di komentar atau isi formulir di tautan bio sampai "
                f"{rng.randint(1, 28)} {MONTHS[moment.month % 12]} 🗳️"
            )
        else:
            body = (
                f"{agency.name} mengundang masyarakat untuk menyampaikan masukan terkait "
                f"{thing}. Masukan dapat disampaikan melalui kolom komentar, pesan langsung, "
                f"atau datang langsung ke kantor kami."
            )
    elif category == c.ANNOUNCEMENT:
        thing = _choose(rng, topics.announcements, GENERIC.announcements)
        title = f"Pengumuman: {thing}"
        if friendly:
            body = (
                f"📢 PENTING! {thing[0].upper() + thing[1:]} mulai {when}. Simpan dan sebarkan "
                f"info ini ya. {ask}"
            )
        else:
            body = (
                f"PENGUMUMAN. Diberitahukan kepada seluruh masyarakat {region.name} mengenai "
                f"{thing}, berlaku mulai {when}. Atas perhatiannya kami ucapkan terima kasih."
            )
    else:
        title = "Informasi"
        body = f"Informasi dari {agency.name}."
    return Caption(
        title=title[:200],
        message=" ".join(body.split()),
        hashtags=hashtags_for(agency, region, rng),
    )
