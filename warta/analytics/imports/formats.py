"""The platforms' own export files: which columns they use, in English and Indonesian.

Header matching is tolerant (warta.lib.tabular.normalize_header: case, spacing and
punctuation are ignored), and every field lists the names the platforms have used.
"""

from dataclasses import dataclass

from warta.lib.platforms import Platform
from warta.lib.tabular import normalize_header

FIELDS = (
    "post_id",
    "published_at",
    "caption",
    "permalink",
    "impressions",
    "reach",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
)
METRIC_FIELDS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves")


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    platform: str
    aliases: dict[str, tuple[str, ...]]
    # "mdy" (US), "dmy" or "iso": how an ambiguous 03/04/2026 is read when the file
    # itself does not settle it (a day above 12 in either position settles it).
    date_order: str = "mdy"
    # Rows whose first cell is one of these are totals, not posts (YouTube Studio).
    skip_first_cells: tuple[str, ...] = ()

    def column_map(self, headers: list[str]) -> dict[str, int]:
        """field -> column index for the headers this file has."""
        normalized = [normalize_header(h) for h in headers]
        found: dict[str, int] = {}
        for field_name, names in self.aliases.items():
            for name in names:
                key = normalize_header(name)
                if key in normalized:
                    found[field_name] = normalized.index(key)
                    break
        return found

    def missing_required(self, found: dict[str, int]) -> list[str]:
        missing = []
        if "post_id" not in found and "permalink" not in found:
            missing.append(self.aliases["post_id"][0])
        if "published_at" not in found:
            missing.append(self.aliases["published_at"][0])
        if not any(f in found for f in METRIC_FIELDS):
            missing.append(
                " / ".join(self.aliases[f][0] for f in METRIC_FIELDS if f in self.aliases)[:120]
            )
        return missing


META_FACEBOOK = ExportFormat(
    key="meta_facebook",
    label="Meta Business Suite — Facebook",
    platform=Platform.FACEBOOK,
    aliases={
        "post_id": ("Post ID", "ID Postingan", "ID postingan", "ID kiriman"),
        "published_at": ("Publish time", "Waktu publikasi", "Waktu dipublikasikan", "Waktu terbit"),
        "caption": ("Description", "Title", "Deskripsi", "Keterangan", "Judul"),
        "permalink": ("Permalink", "Tautan permanen", "Permalink postingan"),
        "impressions": ("Impressions", "Views", "Tayangan", "Impresi"),
        "reach": ("Reach", "Jangkauan"),
        "likes": ("Reactions", "Reaksi", "Likes", "Suka"),
        "comments": ("Comments", "Komentar"),
        "shares": ("Shares", "Bagikan", "Dibagikan", "Berbagi"),
        "views": ("3-second video views", "Tayangan video 3 detik", "Plays", "Putar"),
    },
)
META_INSTAGRAM = ExportFormat(
    key="meta_instagram",
    label="Meta Business Suite — Instagram",
    platform=Platform.INSTAGRAM,
    aliases={
        "post_id": ("Post ID", "ID Postingan", "ID postingan", "ID kiriman"),
        "published_at": ("Publish time", "Waktu publikasi", "Waktu dipublikasikan"),
        "caption": ("Description", "Deskripsi", "Keterangan"),
        "permalink": ("Permalink", "Tautan permanen"),
        "impressions": ("Impressions", "Views", "Tayangan", "Impresi"),
        "reach": ("Reach", "Jangkauan"),
        "likes": ("Likes", "Suka", "Jumlah suka"),
        "comments": ("Comments", "Komentar"),
        "shares": ("Shares", "Bagikan", "Dibagikan", "Berbagi"),
        "saves": ("Saves", "Simpan", "Disimpan"),
        "views": ("Plays", "Putar", "Diputar"),
    },
)
TIKTOK = ExportFormat(
    key="tiktok",
    label="TikTok Studio",
    platform=Platform.TIKTOK,
    date_order="iso",
    aliases={
        "post_id": ("Video ID", "ID Video", "Post ID"),
        "published_at": (
            "Post time",
            "Posted on",
            "Create time",
            "Waktu posting",
            "Waktu unggah",
            "Diposting pada",
        ),
        "caption": ("Video title", "Title", "Judul video", "Judul"),
        "permalink": ("Video link", "Link", "Tautan video", "Tautan"),
        "views": (
            "Total views",
            "Video views",
            "Views",
            "Total penayangan",
            "Penayangan",
            "Tayangan video",
        ),
        "likes": ("Total likes", "Likes", "Total suka", "Suka"),
        "comments": ("Total comments", "Comments", "Total komentar", "Komentar"),
        "shares": ("Total shares", "Shares", "Total dibagikan", "Dibagikan", "Bagikan"),
        "saves": ("Add to Favorites", "Favorites", "Saves", "Favorit", "Ditambahkan ke favorit"),
        "reach": ("Total reach", "Reach", "Jangkauan"),
    },
)
X_TWITTER = ExportFormat(
    key="x",
    label="X (Twitter) Analytics",
    platform=Platform.X,
    date_order="iso",
    aliases={
        "post_id": ("Post id", "Tweet id", "ID postingan", "ID Tweet"),
        "published_at": ("Date", "time", "Tanggal", "Waktu"),
        "caption": ("Post text", "Tweet text", "Teks postingan", "Teks tweet"),
        "permalink": ("Post Link", "Tweet permalink", "Tautan postingan"),
        "impressions": ("Impressions", "Impresi", "Tayangan"),
        "likes": ("Likes", "Suka"),
        "comments": ("Replies", "Balasan"),
        "shares": ("Reposts", "Retweets", "Repost", "Retweet"),
        "saves": ("Bookmarks", "Markah"),
    },
)
YOUTUBE = ExportFormat(
    key="youtube",
    label="YouTube Studio",
    platform=Platform.YOUTUBE,
    date_order="mdy",
    skip_first_cells=("total", "jumlah", "total keseluruhan"),
    aliases={
        "post_id": ("Content", "Konten", "Video ID", "ID video"),
        "published_at": (
            "Video publish time",
            "Waktu publikasi video",
            "Publish time",
            "Waktu publikasi",
        ),
        "caption": ("Video title", "Judul video"),
        "views": ("Views", "Penayangan", "Tayangan"),
        "impressions": ("Impressions", "Impresi", "Tayangan thumbnail"),
        "likes": ("Likes", "Suka", "Jumlah suka"),
        "comments": ("Comments added", "Komentar yang ditambahkan", "Komentar"),
        "shares": ("Shares", "Dibagikan", "Berbagi"),
    },
)

FORMATS: tuple[ExportFormat, ...] = (META_FACEBOOK, META_INSTAGRAM, TIKTOK, X_TWITTER, YOUTUBE)


def detect_format(headers: list[str], platform: str) -> tuple[ExportFormat, dict[str, int]]:
    """The format for this channel's platform whose columns match best."""
    candidates = [f for f in FORMATS if f.platform == platform] or list(FORMATS)
    scored = sorted(((len(f.column_map(headers)), f) for f in candidates), key=lambda t: -t[0])
    best = scored[0][1]
    return best, best.column_map(headers)


def guess_platform(headers: list[str]) -> str:
    """Which platform's export this looks like (for a clear refusal on a mismatch)."""
    normalized = {normalize_header(h) for h in headers}
    if {"tweet id", "post id"} & normalized and ({"reposts", "retweets", "bookmarks"} & normalized):
        return Platform.X
    if {"video publish time", "waktu publikasi video", "content", "konten"} & normalized:
        return Platform.YOUTUBE
    if {"total views", "video link", "total penayangan", "post time"} & normalized:
        return Platform.TIKTOK
    if {"account username", "nama pengguna akun", "saves", "disimpan"} & normalized:
        return Platform.INSTAGRAM
    if {"page name", "nama halaman", "reactions", "reaksi"} & normalized:
        return Platform.FACEBOOK
    return ""
