"""Why a variant did not go out, stored on it in Indonesian and translated when shown.

See warta/core/reasons.py: publishing runs in a task, whatever language its caller had.
"""

from django.utils.translation import gettext_noop

from warta.core.reasons import Reason

UNEXPECTED = Reason(
    gettext_noop(
        "Terjadi galat tak terduga di warta (tercatat di log server); periksa di platform "
        "sebelum menjadwalkan ulang."
    )
)
# What the officer reads while warta keeps trying, and what to do once it stopped.
RETRYING = Reason(gettext_noop("%(reason)s; warta mencoba lagi pukul %(time)s."))
RECONNECT = Reason(gettext_noop("%(reason)s. Hubungkan ulang akun di halaman kanal."))
GAVE_UP_MAYBE_PUBLISHED = Reason(
    gettext_noop(
        "Gagal %(n)d kali; jawaban terakhir platform hilang, jadi unggahan "
        "mungkin sudah terbit. Periksa di platform: jika sudah, tempel "
        "tautannya; jika belum, jadwalkan ulang. Terakhir: %(err)s"
    )
)
CHANGED_AND_BLOCKED = Reason(
    gettext_noop("Isi berubah sejak diperiksa dan kini ditolak pemeriksaan: %(why)s")
)
GAVE_UP = Reason(gettext_noop("Gagal %(n)d kali berturut-turut; terakhir: %(err)s"))
# A rate-limit budget is spent (warta/channels/budgets.py): the post waits for its reset.
BUDGET_SPENT = Reason(
    gettext_noop(
        "Jatah %(platform)s habis (%(limit)d per %(window)s per %(scope)s); warta tidak "
        "memanggil platform dan mengirim unggahan ini pukul %(time)s."
    )
)
BUDGET_SPENT_UNTIL = Reason(
    gettext_noop(
        "Batas %(platform)s tercapai (%(limit)d per %(window)s per %(scope)s) dan baru pulih "
        "%(day)s pukul %(time)s: unggahan ditahan sampai saat itu, lalu terbit otomatis. "
        "Tidak ada yang dibuang."
    )
)
