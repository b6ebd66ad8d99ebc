"""Demo data of the engagement app: reply templates, information requests, two consultations.

The base history (comments as InboxItem rows) comes from the seed command; this adds what
officers made of it. Deterministic through ctx.rng; written through the services so that
deadlines, register numbers and audit records are real, then back-dated where the story
needs a past.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import Q

from warta.content.models import PostVariant
from warta.engagement import consultations as svc
from warta.engagement import ppid
from warta.engagement.consultations import _add_input
from warta.engagement.models import (
    ActionUpdate,
    Consultation,
    InboxItem,
    InformationRequest,
    ReplyTemplate,
)
from warta.engagement.whatsapp_demo import add_threads_and_whatsapp
from warta.institutions.demo.context import DemoContext
from warta.institutions.models import Agency, Officer

TEMPLATES = [
    ("Terima kasih", "Terima kasih atas masukannya, Kak. Kami teruskan ke bidang terkait."),
    (
        "Jadwal layanan",
        "Layanan buka Senin-Jumat pukul 08.00-15.00 WITA. Info lengkap di situs kami.",
    ),
    (
        "Permohonan informasi",
        "Silakan ajukan permohonan informasi ke PPID melalui surel atau "
        "datang langsung; kami jawab paling lambat 10 hari kerja.",
    ),
]

REQUESTS = [
    ("Data jumlah balita stunting per kelurahan tahun 2025", "Penelitian skripsi"),
    ("Rincian anggaran pemeliharaan taman kota tahun 2026", "Pengawasan warga"),
    ("Daftar penerima bantuan beasiswa daerah", "Liputan media"),
    ("Laporan realisasi anggaran triwulan III", "Kajian LSM"),
    ("Jadwal dan lokasi posyandu bulan depan", ""),
]

PARK_INPUT = [
    "Lampu taman sering mati kalau malam, jadi rawan.",
    "Tolong tambah lampu di sisi timur taman.",
    "Tong sampah kurang, sampah berserakan tiap Minggu pagi.",
    "Sampah menumpuk dekat gerbang, tolong diangkut lebih sering.",
    "Jalan setapak berlubang, anak-anak sering jatuh.",
    "Perbaiki jalur pejalan kaki yang retak.",
    "Tambah bangku dan tempat teduh untuk lansia.",
    "Adakan area bermain anak yang aman.",
    "Toilet umum perlu dibersihkan rutin.",
    "Parkir motor semrawut, perlu ditata.",
]
TRANSPORT_INPUT = [
    "Halte bus perlu atap, panas sekali siang hari.",
    "Jadwal angkot tidak jelas, mohon dipasang di halte.",
    "Trotoar dipakai parkir, pejalan kaki terpaksa ke jalan.",
    "Perlu jalur sepeda dari Bontang Baru ke pusat kota.",
    "Lampu penyeberangan di depan sekolah sering mati.",
    "Tambah rute angkot ke kawasan industri.",
]


def _officer_user(agency: Agency) -> User | None:
    return (
        User.objects.filter(
            Q(officer__role=Officer.Role.OFFICER, officer__agencies=agency)
            | Q(officer__role=Officer.Role.COORDINATOR, officer__region_id=agency.region_id)
        )
        .order_by("officer__role", "id")
        .first()
    )


def seed(ctx: DemoContext) -> None:
    agencies = list(Agency.objects.filter(region=ctx.region, is_active=True).order_by("id"))
    if not agencies:
        return
    if ctx.scale != "city":
        agencies = agencies[:2]
    for agency in agencies:
        for title, body in TEMPLATES:
            ReplyTemplate.objects.get_or_create(agency=agency, title=title, defaults={"body": body})
    _seed_requests(ctx, agencies)
    _seed_consultations(ctx, agencies)
    if ctx.scale == "city":
        add_threads_and_whatsapp({a.short_name: a for a in agencies}, end=ctx.end, rng=ctx.rng)


def _seed_requests(ctx: DemoContext, agencies: list[Agency]) -> None:
    if InformationRequest.objects.filter(agency__region=ctx.region).exists():
        return
    for n, (info, purpose) in enumerate(REQUESTS):
        agency = agencies[ctx.rng.randrange(len(agencies))]
        actor = _officer_user(agency)
        if actor is None:
            continue
        item = (
            InboxItem.objects.filter(agency=agency, intent="information_request")
            .order_by("id")
            .first()
        )
        received = ctx.end - timedelta(days=45 - n * 9, hours=ctx.rng.randrange(8))
        request = ppid.info_request_create(
            agency=agency,
            actor=actor,
            requester_name=f"{['Ani', 'Budi', 'Citra', 'Dedi', 'Eka'][n]} "
            f"{['Saputra', 'Lestari', 'Wijaya', 'Rahman', 'Pratama'][n]}",
            requester_contact=f"pemohon{n + 1}@example.test",
            information_requested=info,
            origin="social"
            if item and n == 0
            else ["email", "letter", "website", "in_person"][n % 4],
            received_at=received,
            purpose=purpose,
            inbox_item=item if n == 0 else None,
        )
        if n == 0:
            ppid.info_request_respond(
                request=request,
                status="granted",
                actor=actor,
                response="Data terlampir dalam bentuk tabel per kelurahan.",
            )
        elif n == 1:
            ppid.info_request_respond(
                request=request,
                status="partly",
                actor=actor,
                response="Rincian belanja diberikan; data rekanan tidak.",
                exemption_reason="Pasal 17 huruf b: mengganggu persaingan usaha yang sehat.",
            )
            objection = ppid.objection_file(
                request=request,
                reason="not_fulfilled",
                actor=actor,
                statement="Data rekanan seharusnya terbuka.",
                filed_at=received + timedelta(days=12),
            )
            objection.filed_at = received + timedelta(days=12)
            objection.save(update_fields=["filed_at"])
        elif n == 4 and request.due_at > ctx.end:
            ppid.info_request_extend(
                request=request,
                actor=actor,
                reason="Data penerima masih diverifikasi bersama sekolah.",
            )
        if request.responded_at is not None:
            InformationRequest.objects.filter(pk=request.pk).update(
                responded_at=received + timedelta(days=6)
            )


def _seed_consultations(ctx: DemoContext, agencies: list[Agency]) -> None:
    if Consultation.objects.filter(agency__region=ctx.region).exists():
        return
    plans = [
        (
            agencies[0],
            "Taman kota yang nyaman untuk semua",
            "Apa yang perlu dibenahi di taman kota tahun depan?",
            PARK_INPUT,
            -40,
            -10,
        ),
        (
            agencies[min(1, len(agencies) - 1)],
            "Angkutan umum dan trotoar",
            "Bagaimana angkutan umum dan trotoar bisa lebih baik?",
            TRANSPORT_INPUT,
            -5,
            14,
        ),
    ]
    for agency, title, question, inputs, open_day, close_day in plans:
        actor = _officer_user(agency)
        if actor is None:
            continue
        variant = (
            PostVariant.objects.filter(post__agency=agency, status=PostVariant.Status.PUBLISHED)
            .order_by("-published_at")
            .first()
        )
        consultation = svc.consultation_create(
            agency=agency,
            actor=actor,
            title=title,
            question=question,
            background="Masukan warga menjadi bahan rencana kerja tahun depan.",
            opens_at=ctx.end + timedelta(days=open_day),
            closes_at=ctx.end + timedelta(days=close_day),
            variant_ids=[variant.pk] if variant else [],
        )
        for i in range(len(inputs) * 3):
            text = inputs[ctx.rng.randrange(len(inputs))]
            _add_input(
                consultation=consultation,
                text=text,
                source="form" if i % 2 else "comment",
                received_at=consultation.opens_at + timedelta(hours=3 * i + 1),
            )
        svc.consultation_collect_comments(consultation=consultation)
        svc.consultation_group(consultation=consultation, actor=actor, max_themes=5)
        if close_day > 0:
            continue
        answers = ["accepted", "considering", "not_taken"]
        for n, theme in enumerate(consultation.themes.order_by("id")):
            answer = answers[n % 3]
            svc.theme_answer(
                theme=theme,
                answer=answer,
                actor=actor,
                reason="Di luar kewenangan dinas; diteruskan ke instansi terkait."
                if answer == "not_taken"
                else "",
            )
            if answer != "not_taken":
                action = svc.action_create(
                    theme=theme,
                    title=f"Tindak lanjut: {theme.label}",
                    due_date=(ctx.end + timedelta(days=60)).date(),
                    actor=actor,
                )
                progress = ctx.rng.choice([20, 40, 60])
                ActionUpdate.objects.create(
                    action=action,
                    date=(ctx.end - timedelta(days=3)).date(),
                    progress=progress,
                    note="Survei lapangan selesai.",
                    created_by=actor,
                )
                action.progress = progress
                action.save(update_fields=["progress"])
            # The officer looked at the preview and published it (as in the UI).
            view, problems = svc.theme_public_view(theme)
            if not problems:
                svc.theme_publish(theme=theme, actor=actor, digest=svc.public_view_digest(view))
        svc.consultation_follow_up_post(consultation=consultation, actor=actor)
