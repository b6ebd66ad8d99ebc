"""Demo data of content: the coming two weeks of each agency's calendar.

The seed engineer's base history holds the published past; this adds what officers see
ahead of them: scheduled posts, a few drafts and one awaiting approval, at local times.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.content.services import findings_for
from warta.institutions.demo.context import DemoContext
from warta.lib.categories import PostCategory

S = PostVariant.Status

IDEAS: list[tuple[str, str]] = [
    (
        PostCategory.SERVICE,
        "Layanan {a} buka Senin sampai Jumat pukul 08.00-15.00 WITA. Bawa KTP "
        "dan berkas asli, antrean daring lewat aplikasi. 🙏",
    ),
    (
        PostCategory.EDUCATION,
        "Yuk, biasakan cuci tangan pakai sabun! Lima langkah mudah "
        "menjaga keluarga tetap sehat. #BontangSehat",
    ),
    (
        PostCategory.ACTIVITY,
        "Hari ini tim {a} turun ke Kelurahan Api-Api untuk pendataan "
        "dan sosialisasi program. Terima kasih warga atas sambutannya!",
    ),
    (
        PostCategory.ANNOUNCEMENT,
        "PENGUMUMAN: pelayanan {a} tutup sementara pada hari libur "
        "nasional. Layanan darurat tetap melalui 112.",
    ),
    (
        PostCategory.PARTICIPATION,
        "Punya usulan untuk program {a} tahun depan? Sampaikan "
        "lewat kolom komentar atau formulir konsultasi publik. 📝",
    ),
    (
        PostCategory.PROGRAM,
        "Program unggulan {a} tahun ini: pelayanan jemput bola ke "
        "kelurahan. Cek jadwal lengkapnya di situs resmi.",
    ),
]
HOURS = [8, 10, 13, 16, 19]


def seed(ctx: DemoContext) -> None:
    zone = ZoneInfo(ctx.region.timezone)
    # Everything from ctx (never the clock or uuid4), so one seed gives one demo.
    first_day = timezone.localtime(ctx.end, zone).date() + timedelta(days=1)
    agencies = list(ctx.region.agencies.filter(is_active=True).order_by("pk"))
    if ctx.scale != "city":
        agencies = agencies[:3]
    for agency in agencies:
        channels = list(
            Channel.objects.filter(agency=agency)
            .exclude(status=Channel.Status.DISABLED)
            .order_by("pk")
        )
        if not channels:
            continue
        officer = agency.officers.filter(role="officer").select_related("user").first()
        for i in range(ctx.rng.randint(4, 8)):
            category, text = IDEAS[ctx.rng.randrange(len(IDEAS))]
            day = first_day + timedelta(days=ctx.rng.randrange(14))
            local = datetime.combine(day, time(ctx.rng.choice(HOURS)), tzinfo=zone)
            message = text.format(a=agency.short_name)
            if i == 1:
                # The held one is held for a reason the checks really give (a vehicle
                # plate needs approval), recorded as variant_submit records it: a held
                # post with no findings showed an empty "Alasan ditahan".
                message += " Mobil layanan keliling bernomor KT 1234 AB siap menjemput warga."
            post = Post.objects.create(
                agency=agency,
                message=message,
                category=category,
                category_set_by_hand=True,
                created_by=officer.user if officer else None,
            )
            # Written a few days before the demo's "now", not at the real clock's time.
            written = ctx.end - timedelta(hours=ctx.rng.randint(2, 96))
            Post.objects.filter(pk=post.pk).update(created_at=written, updated_at=written)
            status = S.SCHEDULED if i > 1 else (S.DRAFT if i == 0 else S.AWAITING_APPROVAL)
            chosen = ctx.rng.sample(channels, k=min(len(channels), ctx.rng.randint(1, 3)))
            PostVariant.objects.bulk_create(
                [
                    PostVariant(
                        post=post,
                        channel=c,
                        caption=message,
                        status=status,
                        scheduled_at=local if status != S.DRAFT else None,
                        idempotency_key=uuid.UUID(int=ctx.rng.getrandbits(128), version=4),
                        hashtags="#Bontang #PemkotBontang"
                        if c.platform in {"instagram", "tiktok"}
                        else "",
                    )
                    for c in chosen
                ]
            )
            if status == S.AWAITING_APPROVAL:
                for variant in PostVariant.objects.filter(post=post).select_related(
                    "post", "post__agency", "channel"
                ):
                    PostVariant.objects.filter(pk=variant.pk).update(
                        findings=[f.to_json() for f in findings_for(variant, scheduled_at=local)],
                        approval_requested_at=written,
                    )
