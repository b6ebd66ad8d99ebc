"""SARA: statements that attack a group for its suku, agama, ras or golongan.

The hate-speech model learned from tweets in which most hate speech is aimed at one
person, often a politician; it misses plain group-targeted generalisations ("pendatang
dari suku itu emang pemalas semua") and, worse for a government, reads harsh criticism
of officials as hate. This module adds what a guardrail needs, by rule over the
normalized tokens, with warta's own word lists:

- `attack(tokens)`: the category ("race", "religion", "gender", "other") when a text
  names a group (a suku, an agama, a golongan, or a coded term for one) *and* attacks
  it: a demeaning trait, dehumanising word, call for exclusion or violence, or a slur
  that is an attack by itself ("aseng", "cokin", "kafir" as an address). Counter-speech
  ("stop rasisme", "kata siapa orang papua malas?") and negated traits are not attacks.
- `names_group(tokens)`: whether any group is named at all.
- `civic(tokens)`: whether the text is about government, officials, public services or
  policy. Criticism of those is not hate speech: the backend does not let the model's
  hate flag stand on such a text unless it also names a group.

The lists were built on `training/data/sara_tune.tsv` and `criticism_tune.tsv`; the
`*_heldout.tsv` sets are only measured (figures on the abuse model card).
"""

import itertools
from collections.abc import Sequence

from warta.language.rules import ABUSIVE_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name a group. Ambiguous ones are left out ("asing" is also plain
# "foreign", "pura" also "pretend", "padang" also "field").
GROUPS: dict[str, frozenset[str]] = {
    "race": _words(
        """
        suku sukunya etnis ras keturunan pribumi pendatang transmigran cina china tionghoa
        jawa batak madura bugis dayak papua ambon minang sunda betawi banjar toraja flores
        ntt arab india negro bule melayu timor mandar bali
        """
    ),
    "religion": _words(
        """
        agama islam muslim kristen kristiani nasrani katolik hindu budha buddha konghucu
        yahudi ahmadiyah syiah wahabi ateis atheis umat gereja masjid klenteng vihara
        pendeta pendetanya ustadz ustad pengajian kepercayaan aliran kristenisasi
        islamisasi misionaris
        """
    ),
    "gender": _words("lgbt homo lesbi gay waria banci bencong maho"),
    "other": _words("buruh cebong kampret kaum golongan pendukung"),
}
# Two-word names of a group ("orang kampung", "kaum pelangi", "kulit hitam").
GROUP_PAIRS: dict[tuple[str, str], str] = {
    ("kulit", "hitam"): "race",
    ("warga", "asli"): "race",
    ("orang", "asli"): "race",
    ("non", "muslim"): "religion",
    ("kaum", "pelangi"): "gender",
    ("orang", "kampung"): "other",
    ("orang", "pulau"): "other",
    ("orang", "dusun"): "other",
    ("orang", "miskin"): "other",
    ("kaum", "miskin"): "other",
    ("warga", "pulau"): "other",
    ("warga", "bantaran"): "other",
    ("kampung", "sebelah"): "other",
    ("orang", "padang"): "race",
    ("orang", "kalimantan"): "race",
    ("orang", "sumatera"): "race",
    ("orang", "sulawesi"): "race",
    ("orang", "timur"): "race",
    ("domba", "sesat"): "religion",
}
# Not a group in these pairs: "suku bunga" is an interest rate, "suku cadang" a spare part.
NOT_GROUP_AFTER = {"suku": _words("bunga cadang"), "aliran": _words("air listrik dana sungai")}

# Slurs and coded terms for a group. Each also has an innocent sense in tweets ("mata
# sipit", "kafir" in a sermon, "kampret" as an exclamation), so like any
# group name they need an attack nearby.
SLURS: dict[str, str] = {
    "aseng": "race",
    "cokin": "race",
    "sipit": "race",
    "jawir": "race",
    "keling": "race",
    "kafir": "religion",
    "kapir": "religion",
    "kadrun": "religion",
    "cebong": "other",
    "kampret": "other",
}

# Demeaning traits, dehumanising words, calls for exclusion or violence.
ATTACKS = _words(
    """
    malas pemalas licik penipu tipu nipu pencuri maling rampok kotor jorok bau bodoh
    dungu goblok tolol bego idiot primitif terbelakang biadab barbar kasar preman
    kriminal teroris radikal sesat menyesatkan najis haram munafik rakus serakah pelit
    penjajah komunis antek sampah hama parasit penyakit virus monyet babi anjing
    binatang budak udik kampungan mabuk mabok pemabuk onar rusuh kerusuhan perusuh
    palak nyogok berhala manja penyelundup klenik dukun azab misionaris kristenisasi
    usir diusir usirnya tendang basmi dibasmi musnahkan bakar robohkan bubarkan
    dibubarkan boikot bunuh bantai ganyang berantas diberantas dibatasi minggir
    tersingkir murtadkan otaknya derajatnya bawaan terselubung penyembah nyembah
    tukang jilat menjilat ribut lawan dilawan babu
    """
)
# An attack counts when it is this close to the group it names (tweets are long and
# mention many things; comments are short).
NEAR = 8
# Two-word attacks: "tidak tahu diri", "biang kerok", "sok suci".
ATTACK_PAIRS = frozenset(
    {
        ("tahu", "diri"),
        ("tidak", "becus"),
        ("biang", "kerok"),
        ("sok", "suci"),
        ("sok", "alim"),
        ("untung", "sendiri"),
        ("tidak", "diuntung"),
    }
)
# Excluding a group: "jangan pilih / kasih / terima ...", "tidak usah / pantas / berhak".
EXCLUDE_AFTER = {
    "jangan": _words(
        "pilih kasih dikasih beri diberi terima diterima beli jual biarkan berteman mau ditiru"
    ),
    "tidak": _words("usah pantas berhak boleh"),
    "haram": _words("berteman"),
    "balik": _words("sana"),
    "pulang": _words("ke"),
    "tolak": _words("pembangunan"),
    "bersih": _words("dari"),
}
# "tidak boleh ada diskriminasi" excludes nobody.
EXCLUDE_UNLESS_NEXT = _words("ada")
NEGATORS = _words("tidak bukan belum jangan kurang")
# Counter-speech: a text against racism or a stereotype quotes the stereotype.
COUNTER = _words(
    """
    rasisme rasis diskriminasi hoaks toleransi menghina hina ujaran generalisasi
    intoleran kerukunan laporkan
    """
)
COUNTER_PAIRS = frozenset(
    {("kata", "siapa"), ("salah", "besar"), ("tidak", "semua"), ("bukan", "berarti")}
)

# Government, officials, public services and policy: the objects of legitimate criticism.
CIVIC = _words(
    """
    pemerintah pemkot pemkab pemda pemprov negara dinas dinasnya kadis kepala pejabat
    pejabatnya bupati walikota wali gubernur camat lurah kades dprd dewan anggota
    menteri presiden rezim satpol dishub disdik dinsos dlh pu pln pdam rsud puskesmas
    capil disdukcapil samsat bpjs petugas pegawai pns honorer aparat polisi inspektorat
    kantor kelurahan kecamatan instansi birokrasi pelayanan layanan kinerja kebijakan
    anggaran proyek program bansos bantuan pajak retribusi perda janji kampanye pemilu
    pilkada musrenbang apbd dana jalan jembatan drainase sekolah pimpinan pemimpin
    rakyat warga wakil mundur jabatan jabatannya kerja kerjanya dipimpin
    """
)


_GROUP_OF: dict[str, str] = {
    **{word: category for category, words in GROUPS.items() for word in words},
    **SLURS,
}


# Any word that can start a group name: most texts name none, and one set test says so.
_STARTS = frozenset(_GROUP_OF) | {first for first, _ in GROUP_PAIRS}


def _group_hits(tokens: Sequence[str]) -> list[tuple[int, str]]:
    """Return (position, category) of each group named, slurs included."""
    if _STARTS.isdisjoint(tokens):
        return []
    hits = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        pair = GROUP_PAIRS.get((token, following))
        if pair:
            hits.append((i, pair))
            continue
        if following in NOT_GROUP_AFTER.get(token, ()):
            continue
        category = _GROUP_OF.get(token)
        if category:
            hits.append((i, category))
    return hits


def names_group(tokens: Sequence[str]) -> bool:
    return bool(_group_hits(tokens))


def civic(tokens: Sequence[str]) -> bool:
    return any(t in CIVIC for t in tokens)


def _is_counter_speech(tokens: Sequence[str]) -> bool:
    if any(t in COUNTER for t in tokens):
        return True
    return any((a, b) in COUNTER_PAIRS for a, b in itertools.pairwise(tokens))


def _attacks(tokens: Sequence[str]) -> bool:
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (token in ATTACKS or token in ABUSIVE_WORDS) and before not in NEGATORS:
            return True
        if (token, following) in ATTACK_PAIRS:
            return True
        if following in EXCLUDE_AFTER.get(token, ()):
            after = tokens[i + 2] if i + 2 < len(tokens) else ""
            if after not in EXCLUDE_UNLESS_NEXT:
                return True
    return False


def attack(tokens: Sequence[str]) -> str:
    """Return the category of a group-targeted attack in the text, or ""."""
    hits = _group_hits(tokens)
    if not hits or _is_counter_speech(tokens):
        return ""
    attacked = []
    for i, category in hits:
        # "dasar cina", "dasar orang ambon": an insult aimed at the group.
        insulted = tokens[i - 1 : i] == ["dasar"] or tokens[max(0, i - 2) : i] == [
            "dasar",
            "orang",
        ]
        # The group's own name is not the attack on it (a slur needs more than itself).
        near = [*tokens[max(0, i - NEAR) : i], "", *tokens[i + 1 : i + NEAR + 1]]
        if insulted or _attacks(near):
            attacked.append((i, category))
    if not attacked:
        return ""
    # The most specific group named wins: a suku or agama over a generic "kaum".
    for category in ("race", "religion", "gender", "other"):
        if any(c == category and tokens[i] not in {"kaum", "golongan"} for i, c in attacked):
            return category
    return attacked[0][1]
