"""The composer page: write once, see every network's preview, schedule once (thin).

Three endpoints: the page itself (GET; POST creates the post, as drafts or scheduled),
its live previews (HTMX, while typing) and an upload from the phone's camera roll
(HTMX, into the agency's media library through `media.media_upload`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from warta.channels.models import Channel
from warta.content import forms
from warta.content.compose import (
    MAX_REPEAT_WEEKS,
    ChannelDraft,
    ComposeRefused,
    Preview,
    cadence_gaps,
    hashtag_chips,
    post_compose,
    preview,
    slot_suggestions,
)
from warta.content.media import media_upload
from warta.content.models import MediaAsset, Post, PostVariant
from warta.content.selectors import get_media_for_user, get_post_for_user
from warta.content.services import VariantText
from warta.institutions.access import editable_agencies, get_agency_for_user
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.platforms import MESSAGING_PLATFORMS

S = PostVariant.Status
LIBRARY_SHOWN = 24


@dataclass
class State:
    """What the form holds now, read leniently (an unfinished form still previews)."""

    message: str
    category: str
    media: list[MediaAsset]
    drafts: list[ChannelDraft]
    when: datetime | None  # the common time


def _agency_for(request: HttpRequest, raw: object) -> Agency:
    agencies = list(editable_agencies(request.user))
    if not agencies:
        raise PermissionDenied
    if raw is None or not str(raw).isdigit():
        return agencies[0]
    return get_agency_for_user(request.user, int(str(raw)), edit=True).agency


def _channels(agency: Agency) -> list[Channel]:
    # WhatsApp Business is for messages with citizens: nothing is published to it.
    return list(
        agency.channels.exclude(status=Channel.Status.DISABLED)
        .exclude(platform__in=MESSAGING_PLATFORMS)
        .order_by("platform", "handle")
    )


def _form(
    data: QueryDict | None, *, agency: Agency, channels: list[Channel], initial: dict | None = None
) -> forms.ComposeForm:
    form = forms.ComposeForm(
        data, channels=channels, initial={"agency": agency.pk, **(initial or {})}
    )
    form.fields["channels"].choices = [(c.pk, str(c)) for c in channels]  # type: ignore[attr-defined]
    media = MediaAsset.objects.filter(agency=agency).values_list("pk", "original_name")[:200]
    form.fields["media_ids"].choices = [(pk, name) for pk, name in media]  # type: ignore[attr-defined]
    return form


def _ints(values: object) -> list[int]:
    items = values if isinstance(values, list | tuple) else [values]
    return [int(str(v)) for v in items if str(v).isdigit()]


def _state(form: forms.ComposeForm, *, agency: Agency, channels: list[Channel]) -> State:
    def raw(name: str) -> str:
        value = form[name].value()
        return "" if value is None else str(value)

    def clean(name: str) -> object:
        try:
            return form.fields[name].clean(form[name].value())
        except ValidationError:
            return None

    ticked = set(_ints(form["channels"].value() or []))
    media_ids = list(dict.fromkeys(_ints(form["media_ids"].value() or [])))
    found = {m.pk: m for m in MediaAsset.objects.filter(agency=agency, pk__in=media_ids)}
    common = clean("scheduled_at")
    common_hashtags = raw("hashtags").strip()
    drafts = []
    for channel in channels:
        if channel.pk not in ticked:
            continue
        p = f"c{channel.pk}_"
        own_when = clean(p + "scheduled_at")
        when = own_when or common
        drafts.append(
            ChannelDraft(
                channel=channel,
                text=VariantText(
                    caption=raw(p + "caption").strip(),
                    hashtags=raw(p + "hashtags").strip() or common_hashtags,
                    title=raw(p + "title").strip(),
                ),
                crop=str(clean(p + "crop") or ""),
                focus=str(clean(p + "focus") or ""),
                when=when if isinstance(when, datetime) else None,
            )
        )
    category = raw("category") or "other"
    return State(
        message=raw("message").strip(),
        category=category,
        media=[found[pk] for pk in media_ids if pk in found],
        drafts=drafts,
        when=common if isinstance(common, datetime) else None,
    )


def _previews(state: State, agency: Agency, refused: dict[int, list[str]]) -> list[Preview]:
    out = []
    for draft in state.drafts:
        item = preview(
            agency=agency,
            draft=draft,
            message=state.message,
            category=state.category,
            media=state.media,
        )
        item.refused = refused.get(draft.channel.pk, [])
        out.append(item)
    return out


def _initial_from(post: Post, *, weeks: int = 0) -> dict[str, object]:
    """Duplicate: the composer filled with a post's message, media, channels and texts.

    `weeks` > 0 ("Ulangi mingguan"): repeated that many weeks, from a week after the
    post's time (when that is still ahead)."""
    initial: dict[str, object] = {
        "message": post.message,
        "title": post.title,
        "category": post.category,
        "media_ids": [m.pk for m in post.ordered_media()],
    }
    variants = list(post.variants.exclude(status=S.CANCELLED).select_related("channel"))
    initial["channels"] = [v.channel_id for v in variants]
    tags = {v.hashtags for v in variants}
    if len(tags) == 1:
        initial["hashtags"] = tags.pop()
    for v in variants:
        p = f"c{v.channel_id}_"
        if v.caption != post.message:
            initial[p + "caption"] = v.caption
        if len({x.hashtags for x in variants}) > 1:
            initial[p + "hashtags"] = v.hashtags
        initial[p + "title"], initial[p + "crop"] = v.title, v.crop
        initial[p + "focus"] = v.crop_focus or "center"
    if weeks:
        initial["repeat_weeks"] = weeks
        times = [v.scheduled_at for v in variants if v.scheduled_at]
        if times and min(times) + timedelta(weeks=1) > clock.now():
            initial["scheduled_at"] = timezone.localtime(min(times) + timedelta(weeks=1))
    return initial


def _upload_all(request: HttpRequest, agency: Agency) -> tuple[list[MediaAsset], list[str]]:
    done: list[MediaAsset] = []
    errors: list[str] = []
    for upload in request.FILES.getlist("upload"):
        try:
            done.append(media_upload(actor=request.user, agency=agency, upload=upload))
        except ValidationError as exc:
            errors.extend(f"{upload.name}: {m}" for m in exc.messages)
    return done, errors


def _rows(
    form: forms.ComposeForm, channels: list[Channel], refused: dict[int, list[str]]
) -> list[dict[str, object]]:
    boxes = {int(w.data["value"]): w for w in form["channels"]}
    rows: list[dict[str, object]] = []
    for channel in channels:
        p = f"c{channel.pk}_"
        rows.append(
            {
                "channel": channel,
                "box": boxes.get(channel.pk),
                "caption": form[p + "caption"],
                "hashtags": form[p + "hashtags"],
                "title": form[p + "title"],
                "crop": form[p + "crop"],
                "focus": form[p + "focus"],
                "when": form[p + "scheduled_at"],
                "needs_title": channel.platform in {"youtube", "tiktok"},
                "refused": refused.get(channel.pk, []),
            }
        )
    return rows


def compose(request: HttpRequest) -> HttpResponse:
    """The composer. Every refusal renders the page again with all that was typed."""
    source = None
    raw_source = request.GET.get("dari", "")
    if raw_source.isdigit():
        source = get_post_for_user(request.user, int(raw_source)).post
    raw_agency = request.POST.get("agency") or request.GET.get("agency")
    if raw_agency is None and source is not None:
        raw_agency = str(source.agency_id)
    agency = _agency_for(request, raw_agency)
    channels = _channels(agency)
    refused: dict[int, list[str]] = {}
    upload_errors: list[str] = []
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        uploaded, upload_errors = _upload_all(request, agency)
        if uploaded:
            data.setlist("media_ids", [*data.getlist("media_ids"), *(str(m.pk) for m in uploaded)])
    weeks = request.GET.get("ulangi", "")
    initial = (
        _initial_from(source, weeks=min(int(weeks), MAX_REPEAT_WEEKS) if weeks.isdigit() else 0)
        if source is not None and source.agency_id == agency.pk
        else {}
    )
    form = _form(data, agency=agency, channels=channels, initial=initial)
    if data is not None:
        for error in upload_errors:
            form.add_error(None, error)
        if form.is_valid() and not upload_errors:
            state = _state(form, agency=agency, channels=channels)
            schedule = data.get("action") == "schedule"
            try:
                posts = post_compose(
                    actor=request.user,
                    agency=agency,
                    message=state.message,
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    drafts=state.drafts,
                    media_ids=[m.pk for m in state.media],
                    schedule=schedule,
                    repeat_weeks=form.cleaned_data["repeat_weeks"] or 1,
                )
            except ComposeRefused as exc:
                refused = exc.per_channel
                names = {c.pk: str(c) for c in channels}
                for pk, reasons in refused.items():
                    for reason in reasons:
                        form.add_error(None, f"{names.get(pk, pk)}: {reason}")
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                _report(request, posts, schedule)
                return redirect("content:post_detail", posts[0].pk)
    state = _state(form, agency=agency, channels=channels)
    picked = {m.pk for m in state.media}
    library = [
        m for m in MediaAsset.objects.filter(agency=agency)[:LIBRARY_SHOWN] if m.pk not in picked
    ]
    return render(
        request,
        "content/compose.html",
        {
            "form": form,
            "agency": agency,
            "agencies": list(editable_agencies(request.user)),
            "rows": _rows(form, channels, refused),
            "has_messaging": agency.channels.filter(platform__in=MESSAGING_PLATFORMS).exists(),
            "picked": state.media,
            "library": library,
            "previews": _previews(state, agency, refused),
            "when": state.when,
            "slots": slot_suggestions(agency, [c.platform for c in channels]),
            "gaps": cadence_gaps(agency),
            "chips": hashtag_chips(agency),
            "source": source,
        },
        status=400 if data is not None else 200,
    )


def _add_errors(form: forms.ComposeForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _report(request: HttpRequest, posts: list[Post], schedule: bool) -> None:
    variants = [v for post in posts for v in post.variants.all()]
    if not schedule:
        messages.success(request, _("Draf dibuat. Sesuaikan tiap varian, lalu jadwalkan."))
        return
    waiting = sum(v.status == S.AWAITING_APPROVAL for v in variants)
    scheduled = sum(v.status == S.SCHEDULED for v in variants)
    messages.success(
        request,
        ngettext("%(n)d varian dijadwalkan.", "%(n)d varian dijadwalkan.", scheduled)
        % {"n": scheduled},
    )
    if waiting:
        messages.info(
            request,
            ngettext(
                "%(n)d varian menunggu persetujuan peninjau; terbit pada jadwalnya setelah disetujui.",
                "%(n)d varian menunggu persetujuan peninjau; terbit pada jadwalnya setelah disetujui.",
                waiting,
            )
            % {"n": waiting},
        )
    if len(posts) > 1:
        messages.info(
            request,
            _("Diulang %(n)d minggu: %(n)d unggahan dibuat.") % {"n": len(posts)},
        )


@require_POST
def compose_preview(request: HttpRequest) -> HttpResponse:
    """The previews for what is in the form now (HTMX, debounced while typing)."""
    agency = _agency_for(request, request.POST.get("agency"))
    channels = _channels(agency)
    form = _form(request.POST, agency=agency, channels=channels)
    state = _state(form, agency=agency, channels=channels)
    return render(
        request,
        "content/compose.html#previews",
        {
            "previews": _previews(state, agency, {}),
            "agency": agency,
            "when": state.when,
            "oob": True,
        },
    )


@require_POST
def compose_upload(request: HttpRequest) -> HttpResponse:
    """Files picked in the composer go to the agency's library, each checked by content;
    what was taken comes back as ticked media of the form."""
    agency = _agency_for(request, request.POST.get("agency"))
    uploaded, errors = _upload_all(request, agency)
    if not uploaded and not errors:
        errors = [_("Pilih berkas foto atau video.")]
    response = render(
        request,
        "content/compose.html#picked",
        {"picked": uploaded, "upload_errors": errors},
    )
    if uploaded:
        response["HX-Trigger"] = "media-added"
    return response


def media_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """A medium's thumbnail for the composer's previews, behind the agency wall."""
    media = get_media_for_user(request.user, pk).media
    if not media.thumbnail:
        raise Http404
    response = FileResponse(media.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
