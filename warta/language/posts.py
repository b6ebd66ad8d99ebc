"""Post categories of government captions: keyword rules (the fall-back and a labelling aid).

The trained model (`models/posts.npz`) is preferred when present; these rules follow
the labelling guide in `training/data/README.md`.
"""

from collections.abc import Sequence


def _words(text: str) -> list[str]:
    return text.split()


# Checked in this order: an urgent announcement beats everything else it mentions.
CATEGORY_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "announcement",
        frozenset(
            _words(
                """
        pengumuman diumumkan penting perhatian segera darurat waspada peringatan
        pemadaman ditutup penutupan dialihkan pengalihan libur ditiadakan dibatalkan
        ditunda siaga evakuasi serta merta
        """
            )
        ),
    ),
    (
        "participation",
        frozenset(
            _words(
                """
        konsultasi publik survei kuesioner masukan pendapat aspirasi usulan
        musrenbang partisipasi jajak saran sampaikan isi formulir polling
        """
            )
        ),
    ),
    (
        "service",
        frozenset(
            _words(
                """
        layanan pelayanan syarat persyaratan prosedur loket buka jam operasional
        pendaftaran daftar mengurus pembuatan perpanjangan ktp kk akta paspor sim
        izin perizinan online aplikasi antrean gratis pengaduan hotline
        """
            )
        ),
    ),
    (
        "education",
        frozenset(
            _words(
                """
        ayo mari yuk tips cara cegah pencegahan jaga hindari bahaya kenali
        pentingnya edukasi kampanye sosialisasi stop lindungi sehat bijak hemat
        waspadai
        """
            )
        ),
    ),
    (
        "program",
        frozenset(
            _words(
                """
        program bantuan bansos beasiswa subsidi pembangunan proyek anggaran target
        capaian realisasi peluncuran diluncurkan inovasi gerakan pelatihan
        """
            )
        ),
    ),
    (
        "activity",
        frozenset(
            _words(
                """
        kegiatan meninjau tinjau menghadiri hadiri membuka rapat kunjungan kerja
        dilaksanakan digelar upacara peresmian meresmikan menyerahkan penyerahan
        bersama acara rangka
        """
            )
        ),
    ),
)


def rule_category(tokens: Sequence[str]) -> str:
    token_set = set(tokens)
    best, best_hits = "other", 0
    for category, words in CATEGORY_WORDS:
        hits = len(token_set & words)
        if hits > best_hits:
            best, best_hits = category, hits
    return best
