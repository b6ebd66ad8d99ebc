"""The inbox benchmark's comments: generated Indonesian comments to government accounts.

Openings, topics and tails combine so that nearly every text is distinct, as real
comments are; `_standin_analyze` stands in for the language engine where it is missing.
"""

import random
from datetime import datetime, timedelta
from types import SimpleNamespace

OPENINGS = ["Min,", "Pak,", "Bu,", "Kak,", "Admin,", "Mohon maaf,", "Halo,", ""]
TOPICS = [
    "jalan di depan sekolah",
    "lampu jalan",
    "sampah di pasar",
    "jadwal vaksin",
    "antrean puskesmas",
    "air PDAM",
    "trotoar",
    "drainase",
    "taman kota",
    "KTP elektronik",
    "bantuan sosial",
    "beasiswa",
    "parkir liar",
    "angkot",
    "banjir di perumahan",
]
TAILS = [
    "di Bontang Utara",
    "RT 12",
    "dekat masjid",
    "sejak kemarin",
    "tolong ya",
    "gang 3",
    "Loktuan",
    "Tanjung Laut",
    "Api-Api",
    "Gunung Elai",
    "pagi tadi",
    "🙏",
    "😡",
    "👍",
]
BODIES = [
    "{t} kapan diperbaiki?",
    "{t} rusak sudah sebulan, kecewa",
    "mohon informasi soal {t}",
    "sebaiknya {t} dikelola lebih baik",
    "terima kasih, {t} sudah bagus sekarang",
    "{t} lambat sekali pelayanannya",
    "bagaimana cara mengurus {t}?",
    "minta data {t} 2025",
    "promo murah klik link bit.ly/xx",
    "mantap, {t} makin rapi",
    "dasar bodoh, {t} begini terus",
]


def _standin_analyze(texts: list[str]) -> list[SimpleNamespace]:
    """Used only when the language engine is not installed: keyword rules of similar cost."""
    out = []
    for text in texts:
        low = text.lower()
        intent = (
            "question"
            if "?" in low
            else "information_request"
            if "informasi" in low or "minta data" in low
            else "complaint"
            if "rusak" in low or "lambat" in low
            else "suggestion"
            if "sebaiknya" in low
            else "praise"
            if "terima kasih" in low or "mantap" in low
            else "other"
        )
        out.append(
            SimpleNamespace(
                sentiment="negative"
                if ("kecewa" in low or "bodoh" in low or "lambat" in low)
                else "positive"
                if ("terima kasih" in low or "mantap" in low)
                else "neutral",
                abusive="bodoh" in low,
                hate_speech=False,
                intent=intent,
                is_spam="promo" in low,
            )
        )
    return out


def comments_for(
    channel_index: int, start: int, count: int, rng: random.Random, base: datetime
) -> list:
    from warta.connectors.base import RemoteComment

    out = []
    for i in range(start, start + count):
        body = rng.choice(BODIES).format(t=rng.choice(TOPICS))
        parent = (
            f"c{channel_index}-{rng.randrange(max(i - 500, 0), i)}"
            if i > 10 and (rng.random() < 0.15)
            else ""
        )
        # A tail of places and numbers keeps nearly every text distinct, as real comments are
        # (the ingestion analyses identical texts of a batch only once).
        tail = " ".join(rng.choice(TAILS) for _ in range(rng.randrange(1, 4)))
        out.append(
            RemoteComment(
                platform_item_id=f"c{channel_index}-{i}",
                text=f"{rng.choice(OPENINGS)} {body} {tail} {rng.randrange(1, 999)}".strip(),
                author_name=f"Warga {rng.randrange(5000)}",
                author_handle=f"@warga{rng.randrange(5000)}",
                created_at=base + timedelta(seconds=i * 37 + channel_index),
                platform_post_id=f"p{channel_index}-{rng.randrange(50)}"
                if rng.random() < 0.8
                else "",
                parent_id=parent,
                kind="reply" if parent else "comment",
            )
        )
    return out
