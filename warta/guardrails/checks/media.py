"""Media: consent for pictures of children or private persons; accessibility."""

from django.utils.translation import gettext as _

from warta.guardrails.registry import CheckSubject, register
from warta.lib.findings import Finding, Severity


@register("media_consent")
def check_media_consent(subject: CheckSubject) -> list[Finding]:
    findings = []
    for index, media in enumerate(subject.media):
        if media.shows_children_or_private_persons and len(media.consent_note.strip()) < 5:
            findings.append(
                Finding(
                    check="media_consent",
                    code="consent_missing",
                    severity=Severity.BLOCK,
                    message=_(
                        "Media #%(n)s menampilkan anak atau warga yang dapat dikenali, tanpa catatan "
                        "persetujuan."
                    )
                    % {"n": index + 1},
                    hint=_(
                        "Tulis catatan persetujuan (siapa memberi izin, kapan), atau samarkan wajahnya."
                    ),
                    field="media",
                    data={"media_index": index},
                )
            )
    return findings


@register("accessibility")
def check_accessibility(subject: CheckSubject) -> list[Finding]:
    findings = []
    transcript_note = "transkrip" in subject.caption.lower() or "[teks]" in subject.caption.lower()
    for index, media in enumerate(subject.media):
        if media.kind == "image" and len(media.alt_text.strip()) < 5:
            findings.append(
                Finding(
                    check="accessibility",
                    code="alt_text_missing",
                    severity=Severity.ADVICE,
                    message=_("Gambar #%(n)s belum punya teks alternatif.") % {"n": index + 1},
                    hint=_(
                        "Jelaskan isi gambar dalam satu kalimat untuk pembaca layar, mis. “Petugas "
                        "memeriksa tekanan darah warga lansia di posyandu”."
                    ),
                    field="media",
                    data={"media_index": index},
                )
            )
        elif media.kind == "video" and not media.has_captions and not transcript_note:
            findings.append(
                Finding(
                    check="accessibility",
                    code="captions_missing",
                    severity=Severity.ADVICE,
                    message=_("Video #%(n)s belum punya teks terjemahan (subtitle) atau transkrip.")
                    % {"n": index + 1},
                    hint=_("Tambahkan subtitle, atau tulis ringkasan/transkrip di keterangan."),
                    field="media",
                    data={"media_index": index},
                )
            )
    return findings
