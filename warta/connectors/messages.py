"""Connector failure reasons that embed values (a platform, its own words, a limit).

Publishing and analytics store a connector's `message` on variants and channels, so it
must not depend on the language active when it was raised: each template here is a
`Reason` (Indonesian, filled in when raised, translated when shown; see
warta/core/reasons.py). Reasons without values are plain `gettext_noop` msgids at the
raise site. `platform` is the platform's name, `detail` the platform's own words.
"""

from django.utils.translation import gettext_noop

from warta.core.reasons import Reason

# Shared by every connector (warta/connectors/_http.py and the platform mappings).
# What happened, for a person: never an exception's name (the log has that).
UNREACHABLE = Reason(gettext_noop("%(platform)s tidak dapat dihubungi"))
TIMED_OUT = Reason(gettext_noop("%(platform)s tidak menjawab tepat waktu"))
CONNECTION_LOST = Reason(gettext_noop("Sambungan ke %(platform)s terputus"))
GARBLED = Reason(gettext_noop("%(platform)s mengirim jawaban yang rusak"))
RATE_LIMITED = Reason(gettext_noop("%(platform)s membatasi laju permintaan: %(detail)s"))
SLOW_DOWN = Reason(gettext_noop("%(platform)s meminta memperlambat: %(detail)s"))
SERVER_TROUBLE = Reason(gettext_noop("%(platform)s sedang bermasalah (%(status)s): %(detail)s"))
TROUBLE = Reason(gettext_noop("%(platform)s sedang bermasalah: %(detail)s"))
TOKEN_REVOKED = Reason(gettext_noop("Token %(platform)s kedaluwarsa atau dicabut: %(detail)s"))
ACCESS_REVOKED = Reason(gettext_noop("Akses %(platform)s kedaluwarsa atau dicabut: %(detail)s"))
ACCESS_REFUSED = Reason(gettext_noop("%(platform)s menolak akses: %(detail)s"))
REQUEST_REFUSED = Reason(gettext_noop("%(platform)s menolak permintaan (%(status)s): %(detail)s"))
REFUSED = Reason(gettext_noop("%(platform)s menolak permintaan: %(detail)s"))
REJECTED = Reason(gettext_noop("%(platform)s menolak: %(detail)s"))
CONTENT_REFUSED = Reason(gettext_noop("%(platform)s menolak isi: %(detail)s"))
DUPLICATE = Reason(gettext_noop("%(platform)s menolak postingan ganda: %(detail)s"))
NOT_FOUND = Reason(gettext_noop("Tidak ditemukan di %(platform)s: %(detail)s"))
MEDIA_PENDING = Reason(gettext_noop("%(platform)s belum selesai memproses media."))
VIDEO_PENDING = Reason(gettext_noop("%(platform)s belum selesai memproses video."))
NO_REFRESH_TOKEN = Reason(gettext_noop("Tidak ada refresh token %(platform)s; sambungkan ulang."))
SEARCH_INCOMPLETE = Reason(
    gettext_noop(
        "Terlalu banyak postingan di %(platform)s untuk memastikan; periksa langsung di platform."
    )
)

# One platform's.
X_ACCOUNT_UNUSABLE = Reason(gettext_noop("Akun X tidak bisa dipakai: %(detail)s"))
X_TOKEN_INVALID = Reason(gettext_noop("Token X tidak berlaku: %(detail)s"))
X_MEDIA_REJECTED = Reason(gettext_noop("X menolak media: %(detail)s"))
X_DAILY_CAP = Reason(
    gettext_noop(
        "Batas harian postingan X untuk akun ini sudah habis; postingan ditahan dan "
        "dikirim otomatis setelah batas pulih."
    )
)
X_APP_DAILY_CAP = Reason(
    gettext_noop(
        "Batas harian postingan aplikasi X warta sudah habis; postingan ditahan dan "
        "dikirim otomatis setelah batas pulih."
    )
)
TELEGRAM_RATE_LIMITED = Reason(gettext_noop("Telegram membatasi laju pengiriman: %(detail)s"))
TELEGRAM_BOT_LOCKED_OUT = Reason(
    gettext_noop("Bot Telegram tidak lagi bisa memposting: %(detail)s")
)
TELEGRAM_MIGRATED = Reason(gettext_noop("Grup pindah ke ID %(chat)s; perbarui kanal."))
TELEGRAM_MESSAGE_REJECTED = Reason(gettext_noop("Telegram menolak pesan: %(detail)s"))
# The platform's words when TikTok gives only a code (shown after "TikTok menolak: ").
TIKTOK_NOT_PUBLISHED = Reason(gettext_noop("gagal diterbitkan (%(code)s)"))
TIKTOK_WAIT = Reason(gettext_noop("TikTok meminta menunggu: %(detail)s"))
TIKTOK_PRIVACY = Reason(
    gettext_noop("Akun TikTok ini tidak boleh memposting %(wanted)s; pilihan: %(options)s.")
)
TIKTOK_TOO_LONG = Reason(
    gettext_noop("Video terlalu panjang untuk akun ini (maks. %(limit)s detik).")
)
THREADS_POST_QUOTA = Reason(
    gettext_noop(
        "Profil Threads ini sudah memakai batas %(limit)s postingan per 24 jam; postingan "
        "ditahan dan dicoba lagi setiap jam sampai kuotanya pulih."
    )
)
THREADS_REPLY_QUOTA = Reason(
    gettext_noop(
        "Profil Threads ini sudah memakai batas %(limit)s balasan per 24 jam; balasan "
        "ditahan sampai kuotanya pulih."
    )
)
INSTAGRAM_MEDIA_FAILED = Reason(gettext_noop("Instagram gagal memproses media: %(detail)s"))
YOUTUBE_PERMISSION_REVOKED = Reason(
    gettext_noop("Izin YouTube dicabut atau kedaluwarsa: %(detail)s")
)
GOOGLE_TOKEN_REJECTED = Reason(gettext_noop("Google menolak token: %(detail)s"))
YOUTUBE_QUOTA = Reason(gettext_noop("Kuota harian YouTube habis: %(detail)s"))
YOUTUBE_BAD_RANGE = Reason(gettext_noop("YouTube memberi Range yang tidak dikenal: %(detail)s"))
MANUAL_WRONG_DOMAIN = Reason(
    gettext_noop("Alamat ini bukan alamat %(platform)s: domain %(host)s tidak dikenal.")
)
OAUTH_NOT_CONFIGURED = Reason(
    gettext_noop("Aplikasi OAuth %(provider)s belum dikonfigurasi (%(setting)s).")
)
NO_OAUTH = Reason(gettext_noop("%(platform)s tidak memakai OAuth; masukkan token."))
NO_OAUTH_SHORT = Reason(gettext_noop("%(platform)s tidak memakai OAuth."))
SERVER_NOT_FOUND = Reason(gettext_noop("Server %(host)s tidak ditemukan."))
SERVER_NOT_PUBLIC = Reason(gettext_noop("Server %(host)s bukan alamat publik."))
