"""What each audit action code means, in words a coordinator reads (the code stays stored)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The thing an action is about, by the code's prefix (longest prefix wins).
SUBJECTS: dict[str, str | Promise] = {
    "agency": _("Perangkat daerah"),
    "analytics": _("Analitik"),
    "api_token": _("Token API"),
    "archive": _("Arsip"),
    "channel": _("Kanal"),
    "consultation": _("Konsultasi publik"),
    "content.media": _("Media"),
    "content.post": _("Unggahan"),
    "content.variant": _("Varian unggahan"),
    "dip": _("Daftar Informasi Publik"),
    "guardrails": _("Pemeriksaan"),
    "inbox": _("Kotak masuk"),
    "leadership_term": _("Masa jabatan pimpinan"),
    "officer": _("Petugas"),
    "ppid": _("Permohonan informasi"),
    "region": _("Daerah"),
    "strategy": _("Strategi konten"),
    "twofactor": _("Verifikasi dua langkah"),
    "user": _("Akun"),
}
# What was done, by the code's last part.
VERBS: dict[str, str | Promise] = {
    "accept": _("usulan diterima"),
    "accept_direct": _("diubah langsung"),
    "action_create": _("tindak lanjut dicatat"),
    "action_update": _("tindak lanjut diubah"),
    "activate": _("diaktifkan"),
    "approve": _("disetujui"),
    "assign": _("ditugaskan"),
    "back_to_draft": _("dikembalikan ke draf"),
    "cancel": _("dibatalkan"),
    "close": _("ditutup"),
    "create": _("dibuat"),
    "credentials_set": _("kredensial disimpan"),
    "deactivate": _("dinonaktifkan"),
    "deferred": _("ditunda sampai jatah platform pulih"),
    "delete": _("dihapus"),
    "delete_on_platform": _("dihapus di platform"),
    "disable": _("dimatikan"),
    "done": _("diselesaikan"),
    "election_create": _("masa tenang pemilu ditambahkan"),
    "election_delete": _("masa tenang pemilu dihapus"),
    "enable": _("diaktifkan"),
    "export": _("diekspor"),
    "failed": _("gagal terbit"),
    "follow_up_post": _("unggahan tindak lanjut dibuat"),
    "governance_update": _("aturan perubahan diubah"),
    "group": _("masukan dikelompokkan ke tema"),
    "held": _("ditahan sampai kanal disambungkan ulang"),
    "hide": _("disembunyikan"),
    "import": _("berkas diimpor"),
    "import_uploaded": _("berkas impor diunggah"),
    "letterhead_update": _("kop laporan diubah"),
    "local_day_create": _("hari penting daerah ditambahkan"),
    "local_day_delete": _("hari penting daerah dihapus"),
    "manual": _("ditandai terbit manual"),
    "mark_published_manually": _("ditandai terbit manual"),
    "needs_attention": _("perlu diperiksa petugas"),
    "objection_answer": _("keberatan dijawab"),
    "objection_file": _("keberatan diajukan"),
    "password_reset": _("tautan kata sandi dibuat"),
    "password_set": _("kata sandi diatur"),
    "password_set_by_link": _("kata sandi diatur lewat tautan"),
    "programmes_import": _("program diimpor"),
    "propose": _("perubahan diusulkan"),
    "published": _("terbit"),
    "quote": _("kutipan dipilih"),
    "recheck_blocked": _("diperiksa ulang sebelum terbit: diblokir"),
    "recheck_needs_approval": _("diperiksa ulang sebelum terbit: perlu persetujuan"),
    "redact": _("isi disamarkan"),
    "reject": _("usulan ditolak"),
    "reply": _("dibalas"),
    "reply_retry": _("balasan dikirim ulang"),
    "request_create": _("permohonan dicatat"),
    "request_extend": _("batas waktu diperpanjang"),
    "request_respond": _("permohonan dijawab"),
    "reschedule": _("dijadwalkan ulang"),
    "response_recorded": _("tanggapan dicatat"),
    "retry": _("dicoba ulang terjadwal"),
    "revoke": _("dicabut"),
    "save": _("disimpan"),
    "schedule": _("dijadwalkan"),
    "send_back": _("dikembalikan ke penulis"),
    "severity_configure": _("tingkat pemeriksaan diatur"),
    "submit": _("diperiksa dan dijadwalkan"),
    "submit_for_approval": _("diajukan untuk persetujuan"),
    "template_create": _("templat balasan dibuat"),
    "template_delete": _("templat balasan dihapus"),
    "theme_answer": _("tema dijawab"),
    "theme_merge": _("tema digabung"),
    "theme_publish": _("tema diterbitkan"),
    "theme_rename": _("tema diganti nama"),
    "theme_split": _("tema dipecah"),
    "theme_unpublish": _("tema ditarik dari publik"),
    "token_refreshed": _("token akses diperbarui otomatis"),
    "update": _("diubah"),
    "upload": _("diunggah"),
    "whatsapp_notice_template": _("templat WhatsApp untuk pemberitahuan PPID dipilih"),
    "whatsapp_templates": _("daftar templat WhatsApp diperbarui"),
    "withdraw": _("usulan ditarik"),
}


def audit_label(code: str) -> str:
    """Return "Konsultasi publik: masukan dikelompokkan ke tema" for `consultation.group`."""
    prefix, _dot, verb = code.rpartition(".")
    subject = None
    while prefix and subject is None:
        subject = SUBJECTS.get(prefix)
        prefix = prefix.rpartition(".")[0]
    what = VERBS.get(verb)
    if subject is None or what is None:
        return code  # a new action not yet named here: the code beats nothing
    return f"{subject}: {what}"
