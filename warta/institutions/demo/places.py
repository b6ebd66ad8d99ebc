"""Who exists in the demo: regions, their agencies (OPD) and the topics each one posts about.

Kota Bontang's 20 agencies carry their real public names. Larger scales reuse a pool of
the agencies every Indonesian kabupaten/kota has (UU 23/2014 urusan pemerintahan), with
kecamatan named after the region.
"""

from dataclasses import dataclass, field

from warta.institutions.models import Agency, Region

K = Agency.Kind


@dataclass(frozen=True)
class AgencySpec:
    short_name: str
    name: str
    kind: str
    # Handle stem on the platforms, e.g. "dinkes" -> @dinkes.bontang
    slug: str
    # The sector decides which activities, programmes and services the captions mention.
    sector: str
    head_title: str


@dataclass(frozen=True)
class RegionSpec:
    name: str
    slug: str
    kind: str
    timezone: str
    # The place name used in captions and hashtags ("Bontang", "Kutai Timur").
    place: str
    hashtag: str
    domain: str
    districts: tuple[str, ...] = field(default=())
    villages: tuple[str, ...] = field(default=())
    kemendagri_code: str = ""


BONTANG = RegionSpec(
    name="Kota Bontang",
    slug="kota-bontang",
    kemendagri_code="64.74",
    kind=Region.Kind.KOTA,
    timezone="Asia/Makassar",
    place="Bontang",
    hashtag="BontangKotaTaman",
    domain="bontangkota.go.id",
    districts=("Bontang Utara", "Bontang Selatan", "Bontang Barat"),
    villages=(
        "Api-Api",
        "Bontang Baru",
        "Bontang Kuala",
        "Gunung Elai",
        "Guntung",
        "Lok Tuan",
        "Berbas Pantai",
        "Berbas Tengah",
        "Bontang Lestari",
        "Satimpo",
        "Tanjung Laut",
        "Tanjung Laut Indah",
        "Belimbing",
        "Gunung Telihan",
        "Kanaan",
    ),
)

BONTANG_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "Setda", "Sekretariat Daerah", K.SEKRETARIAT, "setda", "government", "Sekretaris Daerah"
    ),
    AgencySpec(
        "Diskominfo",
        "Dinas Komunikasi dan Informatika",
        K.DINAS,
        "diskominfo",
        "communication",
        "Kepala Dinas Komunikasi dan Informatika",
    ),
    AgencySpec("Dinkes", "Dinas Kesehatan", K.DINAS, "dinkes", "health", "Kepala Dinas Kesehatan"),
    AgencySpec(
        "Disdikbud",
        "Dinas Pendidikan dan Kebudayaan",
        K.DINAS,
        "disdikbud",
        "education",
        "Kepala Dinas Pendidikan dan Kebudayaan",
    ),
    AgencySpec(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        K.DINAS,
        "dpmptsp",
        "licensing",
        "Kepala DPMPTSP",
    ),
    AgencySpec(
        "Bappeda Litbang",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        K.BADAN,
        "bappedalitbang",
        "planning",
        "Kepala Bappeda Litbang",
    ),
    AgencySpec(
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        K.DINAS,
        "dpupr",
        "public_works",
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
    ),
    AgencySpec(
        "Dishub", "Dinas Perhubungan", K.DINAS, "dishub", "transport", "Kepala Dinas Perhubungan"
    ),
    AgencySpec(
        "Dinsos PM",
        "Dinas Sosial dan Pemberdayaan Masyarakat",
        K.DINAS,
        "dinsospm",
        "social",
        "Kepala Dinas Sosial dan Pemberdayaan Masyarakat",
    ),
    AgencySpec(
        "DLH",
        "Dinas Lingkungan Hidup",
        K.DINAS,
        "dlh",
        "environment",
        "Kepala Dinas Lingkungan Hidup",
    ),
    AgencySpec(
        "Disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        K.DINAS,
        "disdukcapil",
        "civil_registry",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    AgencySpec(
        "Satpol PP",
        "Satuan Polisi Pamong Praja",
        K.OTHER,
        "satpolpp",
        "order",
        "Kepala Satuan Polisi Pamong Praja",
    ),
    AgencySpec(
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        K.BADAN,
        "bpbd",
        "disaster",
        "Kepala Pelaksana BPBD",
    ),
    AgencySpec(
        "RSUD Taman Husada",
        "Rumah Sakit Umum Daerah Taman Husada",
        K.RSUD,
        "rsudtamanhusada",
        "hospital",
        "Direktur RSUD Taman Husada",
    ),
    AgencySpec(
        "Kec. Bontang Utara",
        "Kecamatan Bontang Utara",
        K.KECAMATAN,
        "kecbontangutara",
        "district",
        "Camat Bontang Utara",
    ),
    AgencySpec(
        "Kec. Bontang Selatan",
        "Kecamatan Bontang Selatan",
        K.KECAMATAN,
        "kecbontangselatan",
        "district",
        "Camat Bontang Selatan",
    ),
    AgencySpec(
        "Kec. Bontang Barat",
        "Kecamatan Bontang Barat",
        K.KECAMATAN,
        "kecbontangbarat",
        "district",
        "Camat Bontang Barat",
    ),
    AgencySpec(
        "Inspektorat",
        "Inspektorat Daerah",
        K.INSPEKTORAT,
        "inspektorat",
        "audit",
        "Inspektur Daerah",
    ),
    AgencySpec(
        "Dispopar",
        "Dinas Pemuda, Olahraga dan Pariwisata",
        K.DINAS,
        "dispopar",
        "tourism",
        "Kepala Dinas Pemuda, Olahraga dan Pariwisata",
    ),
    AgencySpec(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        K.BADAN,
        "bkpsdm",
        "civil_service",
        "Kepala BKPSDM",
    ),
)

# Agencies beyond Bontang's 20 that a larger kabupaten/kota also has (province scale).
EXTRA_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "Setwan", "Sekretariat DPRD", K.SEKRETARIAT, "setwan", "government", "Sekretaris DPRD"
    ),
    AgencySpec(
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        K.BADAN,
        "bpkad",
        "finance",
        "Kepala BPKAD",
    ),
    AgencySpec(
        "Bapenda",
        "Badan Pendapatan Daerah",
        K.BADAN,
        "bapenda",
        "finance",
        "Kepala Badan Pendapatan Daerah",
    ),
    AgencySpec(
        "Distan", "Dinas Pertanian", K.DINAS, "distan", "agriculture", "Kepala Dinas Pertanian"
    ),
    AgencySpec(
        "Diskan", "Dinas Perikanan", K.DINAS, "diskan", "agriculture", "Kepala Dinas Perikanan"
    ),
    AgencySpec(
        "Disdag", "Dinas Perdagangan", K.DINAS, "disdag", "economy", "Kepala Dinas Perdagangan"
    ),
    AgencySpec(
        "Diskop UKM",
        "Dinas Koperasi, Usaha Kecil dan Menengah",
        K.DINAS,
        "diskopukm",
        "economy",
        "Kepala Dinas Koperasi dan UKM",
    ),
    AgencySpec(
        "Disnaker", "Dinas Tenaga Kerja", K.DINAS, "disnaker", "labour", "Kepala Dinas Tenaga Kerja"
    ),
    AgencySpec(
        "Disperkim",
        "Dinas Perumahan dan Kawasan Permukiman",
        K.DINAS,
        "disperkim",
        "public_works",
        "Kepala Dinas Perumahan dan Kawasan Permukiman",
    ),
    AgencySpec(
        "DP3A",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        K.DINAS,
        "dp3a",
        "social",
        "Kepala DP3A",
    ),
    AgencySpec(
        "DPPKB",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        K.DINAS,
        "dppkb",
        "health",
        "Kepala DPPKB",
    ),
    AgencySpec(
        "Dispusip",
        "Dinas Perpustakaan dan Kearsipan",
        K.DINAS,
        "dispusip",
        "education",
        "Kepala Dinas Perpustakaan dan Kearsipan",
    ),
    AgencySpec(
        "DKP",
        "Dinas Ketahanan Pangan",
        K.DINAS,
        "dkp",
        "agriculture",
        "Kepala Dinas Ketahanan Pangan",
    ),
    AgencySpec(
        "Kesbangpol",
        "Badan Kesatuan Bangsa dan Politik",
        K.BADAN,
        "kesbangpol",
        "government",
        "Kepala Badan Kesbangpol",
    ),
    AgencySpec(
        "Damkar",
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        K.DINAS,
        "damkar",
        "disaster",
        "Kepala Dinas Pemadam Kebakaran",
    ),
    AgencySpec(
        "DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", K.DINAS, "dpmd", "social", "Kepala DPMD"
    ),
)

DISTRICT_SUFFIXES = ("Kota", "Utara", "Selatan", "Timur", "Barat", "Tengah", "Pesisir")

# Forty real kabupaten/kota across the three Indonesian time zones; the province scale is
# a benchmark shape (40 regions), not one real province.
# Kepmendagri 100.1.1-6117/2022; the generated regions beyond these have none.
KEMENDAGRI_CODES = {
    "Kabupaten Paser": "64.01",
    "Kabupaten Kutai Kartanegara": "64.02",
    "Kabupaten Berau": "64.03",
    "Kabupaten Kutai Barat": "64.07",
    "Kabupaten Kutai Timur": "64.08",
    "Kabupaten Penajam Paser Utara": "64.09",
    "Kabupaten Mahakam Ulu": "64.11",
    "Kota Balikpapan": "64.71",
    "Kota Samarinda": "64.72",
    "Kota Bontang": "64.74",
}

PROVINCE_REGIONS: tuple[tuple[str, str, str], ...] = (
    ("Kota Bontang", "kota", "Asia/Makassar"),
    ("Kota Samarinda", "kota", "Asia/Makassar"),
    ("Kota Balikpapan", "kota", "Asia/Makassar"),
    ("Kabupaten Kutai Timur", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Kutai Kartanegara", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Berau", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Paser", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Penajam Paser Utara", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Kutai Barat", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Mahakam Ulu", "kabupaten", "Asia/Makassar"),
    ("Kota Makassar", "kota", "Asia/Makassar"),
    ("Kota Parepare", "kota", "Asia/Makassar"),
    ("Kabupaten Gowa", "kabupaten", "Asia/Makassar"),
    ("Kabupaten Bone", "kabupaten", "Asia/Makassar"),
    ("Kota Denpasar", "kota", "Asia/Makassar"),
    ("Kabupaten Badung", "kabupaten", "Asia/Makassar"),
    ("Kota Mataram", "kota", "Asia/Makassar"),
    ("Kota Kupang", "kota", "Asia/Makassar"),
    ("Kota Manado", "kota", "Asia/Makassar"),
    ("Kota Palu", "kota", "Asia/Makassar"),
    ("Kota Surabaya", "kota", "Asia/Jakarta"),
    ("Kota Malang", "kota", "Asia/Jakarta"),
    ("Kabupaten Banyuwangi", "kabupaten", "Asia/Jakarta"),
    ("Kabupaten Sidoarjo", "kabupaten", "Asia/Jakarta"),
    ("Kota Semarang", "kota", "Asia/Jakarta"),
    ("Kota Surakarta", "kota", "Asia/Jakarta"),
    ("Kabupaten Banyumas", "kabupaten", "Asia/Jakarta"),
    ("Kota Bandung", "kota", "Asia/Jakarta"),
    ("Kota Bogor", "kota", "Asia/Jakarta"),
    ("Kabupaten Garut", "kabupaten", "Asia/Jakarta"),
    ("Kota Yogyakarta", "kota", "Asia/Jakarta"),
    ("Kabupaten Sleman", "kabupaten", "Asia/Jakarta"),
    ("Kota Medan", "kota", "Asia/Jakarta"),
    ("Kota Padang", "kota", "Asia/Jakarta"),
    ("Kota Palembang", "kota", "Asia/Jakarta"),
    ("Kota Pontianak", "kota", "Asia/Jakarta"),
    ("Kota Banjarmasin", "kota", "Asia/Makassar"),
    ("Kota Ambon", "kota", "Asia/Jayapura"),
    ("Kota Jayapura", "kota", "Asia/Jayapura"),
    ("Kota Sorong", "kota", "Asia/Jayapura"),
)


def _slugify(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def province_region(index: int) -> RegionSpec:
    """The index-th region of the province scale; region 0 is Kota Bontang itself."""
    if index == 0:
        return BONTANG
    name, kind, tz = PROVINCE_REGIONS[index % len(PROVINCE_REGIONS)]
    if index >= len(PROVINCE_REGIONS):
        name = f"{name} {index // len(PROVINCE_REGIONS) + 1}"
    place = name.removeprefix("Kota ").removeprefix("Kabupaten ")
    slug = name.lower().replace(" ", "-")
    stem = _slugify(place)
    return RegionSpec(
        name=name,
        slug=slug,
        kind=kind,
        timezone=tz,
        place=place,
        hashtag=place.replace(" ", "") + "Hebat",
        domain=f"{stem}{'kota' if kind == 'kota' else 'kab'}.go.id",
        districts=tuple(f"{place} {suffix}" for suffix in DISTRICT_SUFFIXES),
        villages=BONTANG.villages,
        kemendagri_code=KEMENDAGRI_CODES.get(name, ""),
    )


def agencies_for(region: RegionSpec, count: int) -> list[AgencySpec]:
    """The region's first `count` agencies: Bontang's set adapted to the place, then extras."""
    if region is BONTANG:
        # Bontang has only three kecamatan: past its own 20 agencies come the ones a larger
        # region has, then kelurahan offices.
        specs = list(BONTANG_AGENCIES) + list(EXTRA_AGENCIES)
        specs += [
            AgencySpec(
                f"Kel. {village}",
                f"Kelurahan {village}",
                K.KELURAHAN,
                f"kel{_slugify(village)}",
                "district",
                f"Lurah {village}",
            )
            for village in region.villages
        ]
        if count > len(specs):
            raise ValueError(f"at most {len(specs)} agencies in {region.name}")
        return specs[:count]
    generic: list[AgencySpec] = []
    for spec in BONTANG_AGENCIES:
        if spec.kind == K.KECAMATAN:
            continue
        if spec.short_name == "RSUD Taman Husada":
            spec = AgencySpec(
                "RSUD", "Rumah Sakit Umum Daerah", K.RSUD, "rsud", "hospital", "Direktur RSUD"
            )
        generic.append(spec)
    generic.extend(EXTRA_AGENCIES)
    for district in region.districts:
        stem = _slugify(district)
        generic.append(
            AgencySpec(
                f"Kec. {district}",
                f"Kecamatan {district}",
                K.KECAMATAN,
                f"kec{stem}",
                "district",
                f"Camat {district}",
            )
        )
    if count > len(generic):
        raise ValueError(f"at most {len(generic)} agencies per region")
    return generic[:count]
