"""The guardrails' part of the home page's to-do list: posts held for approval, and why.

Each item says the reason (the rule that holds it, as the region's catalogue names it)
and the finding (what the check found, quoting the text). The coordinator's item opens
the review; the officer's opens the post, where it is fixed.
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warta.content.models import PostVariant
from warta.guardrails import selectors
from warta.institutions.models import Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, register, total_of

R = Officer.Role


def held_posts(ask: Ask) -> Found:
    qs = PostVariant.objects.filter(
        status=PostVariant.Status.AWAITING_APPROVAL, post__agency_id__in=ask.agency_ids
    )
    reviewer = ask.officer.is_coordinator
    sla = selectors.sla_hours(ask.officer.region_id)
    items = []
    for variant in qs.select_related("post", "post__agency", "channel").order_by(
        "approval_requested_at", "id"
    )[:LIMIT]:
        reasons = selectors.held_reasons(variant)
        if reasons:
            first = reasons[0]
            detail = gettext("Alasan: %(reason)s — %(finding)s") % first
            if first["quote"]:
                detail += " “" + first["quote"] + "”"
            if len(reasons) > 1:
                detail += " " + gettext("(+%(n)d temuan lain)") % {"n": len(reasons) - 1}
        else:
            detail = gettext("Alasan tidak tercatat; buka untuk memeriksa ulang.")
        since = variant.approval_requested_at
        hours = int((ask.now - since).total_seconds() // 3600) if since else 0
        items.append(
            Todo(
                text=f"{variant.channel} · {(variant.post.title or variant.caption)[:80]}",
                url=reverse("guardrails:review_detail", args=[variant.pk])
                if reviewer
                else reverse("content:post_detail", args=[variant.post_id]),
                detail=detail,
                when=gettext("menunggu %(n)d jam") % {"n": hours},
                urgent=hours >= sla,
                agency=variant.post.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def register_sections() -> None:
    register(
        Section(
            "held",
            _("Unggahan yang ditahan pemeriksaan"),
            {R.COORDINATOR: 10, R.OFFICER: 30, R.HEAD: 30},
            held_posts,
            lambda ask: reverse("guardrails:review_queue"),
        )
    )
