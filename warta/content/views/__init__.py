"""Pages of content: calendar, post page, variant actions, media library (thin).

The composer (a new post) is in `composer.py`.
"""

import calendar as pycalendar
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from warta.analytics import cadence
from warta.content import forms, services
from warta.content.media import media_upload
from warta.content.models import MediaAsset, PostVariant
from warta.content.selectors import (
    CalendarFilters,
    cadence_channels,
    calendar_variants,
    get_post_for_user,
    get_variant_for_user,
    unscheduled_drafts,
)
from warta.institutions.access import (
    editable_agencies,
    get_agency_for_user,
    is_coordinator,
    require_officer,
    visible_agencies,
)
from warta.lib import clock
from warta.lib.categories import PostCategory
from warta.lib.findings import Finding
from warta.lib.ids import parse_id
from warta.lib.platforms import Platform
from warta.lib.urls import reverser

S = PostVariant.Status

CITY_MONTH_PER_DAY = 6


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


def _parse_day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw else clock.localdate()
    except ValueError:
        return clock.localdate()


# What can be moved to another day by dragging it (calendar.js posts to variant_move).
DRAGGABLE = frozenset({S.SCHEDULED, S.READY, S.FAILED, S.NEEDS_ATTENTION})


def calendar_view(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    mode = "week" if request.GET.get("view") == "week" else "month"
    day = _parse_day(request.GET.get("date"))
    agencies = list(visible_agencies(request.user))  # read once: the filter lists them too
    agency = None
    agency_id = parse_id(request.GET.get("agency", ""))
    if agency_id is not None:
        agency = get_agency_for_user(request.user, agency_id).agency
    elif not officer.is_coordinator and len(agencies) == 1:
        agency = agencies[0]
    if mode == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
        prev_day, next_day = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first_of_month = day.replace(day=1)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        days_in_month = pycalendar.monthrange(day.year, day.month)[1]
        month_end = first_of_month.replace(day=days_in_month)
        last = month_end + timedelta(days=6 - month_end.weekday())
        prev_day = (first_of_month - timedelta(days=1)).replace(day=1)
        next_day = month_end + timedelta(days=1)
    channels = cadence_channels([agency.pk]) if agency is not None else []
    raw_channel = request.GET.get("channel", "")
    raw_status = request.GET.get("status", "")
    raw_category = request.GET.get("category", "")
    filters = CalendarFilters(
        # Only a channel of the agency shown; any other number is ignored, not an error.
        channel=int(raw_channel)
        if raw_channel.isdigit() and int(raw_channel) in {c.pk for c in channels}
        else None,
        status=raw_status if raw_status in S.values else "",
        category=raw_category if raw_category in PostCategory.values else "",
    )
    items = calendar_variants(request.user, first=first, last=last, agency=agency, filters=filters)
    # Translated once per request: a lazy label is translated again at every use.
    platform_names = {k: str(v) for k, v in Platform.choices}
    status_names = {k: str(v) for k, v in PostVariant.Status.choices}
    post_url = reverser("content:post_detail")
    by_day: dict[date, list[PostVariant]] = {}
    for variant in items:
        # Labels, links and times made once here, not per entry in the template (each is
        # shown twice, in the grid and the agenda): get_FOO_display rebuilds its choices
        # per call, reverse() and the time filter cost more than the rest of an entry.
        variant.status_label = status_names.get(variant.status, variant.status)  # type: ignore[attr-defined]
        variant.platform_label = platform_names.get(variant.channel.platform, "")  # type: ignore[attr-defined]
        variant.url = post_url(variant.post_id)  # type: ignore[attr-defined]
        variant.title = str(variant.post)  # type: ignore[attr-defined]
        variant.draggable = bool(  # type: ignore[attr-defined]
            officer.can_write and variant.status in DRAGGABLE and variant.scheduled_at
        )
        when = variant.when
        if when is not None:
            local = timezone.localtime(when)
            variant.hhmm = local.strftime("%H:%M")  # type: ignore[attr-defined]
            by_day.setdefault(local.date(), []).append(variant)
    # A region-wide month is an overview: a few entries per day and how many more, each
    # day linking to its week, where every entry is shown.
    per_day = CITY_MONTH_PER_DAY if mode == "month" and agency is None else None
    # Targets and gaps from the one source the dashboards and warnings read (issue 19):
    # each channel the agency has, against its own target. A filtered calendar does not
    # show every post, so no gap is claimed then.
    mondays = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    week_gaps = (
        cadence.weeks_gaps([agency], week_starts=mondays, tz=timezone.get_current_timezone())
        if agency is not None
        else {}
    )
    today = clock.localdate()
    weeks = []
    cursor = first
    while cursor <= last:
        days = [cursor + timedelta(days=i) for i in range(7)]
        gaps = (
            []
            if filters != CalendarFilters() or agency is None
            else [(g.target.label, g.missing) for g in week_gaps[cursor][agency.pk] if g.missing]
        )
        weeks.append(
            {
                "days": [
                    {
                        "date": d,
                        "items": by_day.get(d, [])[:per_day],
                        "more": len(by_day.get(d, [])[per_day:]) if per_day else 0,
                        "in_month": mode == "week" or d.month == day.month,
                        "today": d == today,
                    }
                    for d in days
                ],
                "gaps": gaps,
            }
        )
        cursor += timedelta(days=7)
    return render(
        request,
        "content/calendar.html",
        {
            "mode": mode,
            "day": day,
            "weeks": weeks,
            "agency": agency,
            "agencies": agencies,
            # Each of the agency's channels with its weekly target (the default when the
            # strategy sets none for its platform).
            "targets": [
                (g.target.label, g.wanted, g.target.is_default)
                for g in (week_gaps[mondays[0]][agency.pk] if agency is not None else [])
            ],
            "channels": channels,
            "filters": filters,
            "filtered": filters != CalendarFilters(),
            # The choices kept by the calendar's own links (previous, next, month, week).
            "keep": urlencode(
                {
                    k: v
                    for k, v in {
                        "agency": agency.pk if agency is not None else "",
                        "channel": filters.channel or "",
                        "status": filters.status,
                        "category": filters.category,
                    }.items()
                    if v
                }
            ),
            "categories": PostCategory.choices,
            "prev_day": prev_day,
            "next_day": next_day,
            "can_write": officer.can_write,
            "drafts": unscheduled_drafts(request.user, agency=agency),
            "statuses": PostVariant.Status,
        },
    )


def _agency_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return [(a.pk, f"{a.short_name} — {a.name}") for a in editable_agencies(request.user)]


def _media_choices(request: HttpRequest, agency_ids: list[int]) -> list[tuple[int, str]]:
    media = MediaAsset.objects.filter(agency_id__in=agency_ids)[:200]
    return [(m.pk, str(m)) for m in media]


def _add_form_errors(form: forms.forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_post_for_user(request.user, pk)
    post = access.post
    variants = list(post.variants.select_related("channel").order_by("channel__platform", "id"))
    rows = []
    for variant in variants:
        rows.append(
            {
                "variant": variant,
                "form": forms.VariantForm(
                    initial={
                        "caption": variant.caption,
                        "hashtags": variant.hashtags,
                        "first_comment": variant.first_comment,
                        "title": variant.title,
                        "version": variant.version,
                    },
                    prefix=f"v{variant.pk}",
                ),
                # Not required in the browser: the same form also saves the text alone.
                "schedule": forms.ScheduleForm(
                    use_required_attribute=False,
                    initial={
                        "scheduled_at": timezone.localtime(variant.scheduled_at)
                        if variant.scheduled_at
                        else None
                    },
                    prefix=f"s{variant.pk}",
                ),
                "findings": [Finding.from_json(f) for f in variant.findings],
            }
        )
    edit = forms.PostEditForm(
        initial={
            "title": post.title,
            "message": post.message,
            "category": post.category,
            "media_ids": [m.pk for m in post.ordered_media()],
            "version": post.version,
        }
    )
    media_choices = _media_choices(request, [post.agency_id])
    edit.fields["media_ids"].choices = media_choices  # type: ignore[attr-defined]
    copy = None
    if is_coordinator(request.user):
        copy = forms.CopyForm()
        copy.fields["agencies"].choices = [  # type: ignore[attr-defined]
            (a.pk, a.short_name) for a in editable_agencies(request.user).exclude(pk=post.agency_id)
        ]
    return render(
        request,
        "content/post_detail.html",
        {
            "post": post,
            "rows": rows,
            "can_edit": access.can_edit,
            "edit_form": edit,
            "copy_form": copy,
            "media": post.ordered_media(),
            "statuses": PostVariant.Status,
            "copies": post.copies.select_related("agency"),
        },
    )


@require_POST
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk, edit=True).post
    form = forms.PostEditForm(request.POST)
    media_choices = _media_choices(request, [post.agency_id])
    form.fields["media_ids"].choices = media_choices  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            services.post_update(actor=request.user, post=post, **form.cleaned_data)
            messages.success(request, _("Unggahan disimpan."))
        except ValidationError as exc:
            _flash_errors(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("content:post_detail", post.pk)


@require_POST
def post_copy(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk).post
    if not is_coordinator(request.user):
        raise PermissionDenied
    form = forms.CopyForm(request.POST)
    form.fields["agencies"].choices = [  # type: ignore[attr-defined]
        (a.pk, a.short_name) for a in editable_agencies(request.user)
    ]
    if form.is_valid():
        agencies = list(
            editable_agencies(request.user).filter(pk__in=form.cleaned_data["agencies"])
        )
        try:
            copies = services.post_copy_to_agencies(
                actor=request.user, post=post, agencies=agencies
            )
            messages.success(
                request,
                ngettext(
                    "Disalin sebagai draf ke %(n)d perangkat daerah.",
                    "Disalin sebagai draf ke %(n)d perangkat daerah.",
                    len(copies),
                )
                % {"n": len(copies)},
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
    else:
        messages.error(request, _("Pilih perangkat daerah tujuan."))
    return redirect("content:post_detail", post.pk)


def _variant_text(form: forms.VariantForm) -> services.VariantText:
    data = form.cleaned_data
    return services.VariantText(
        caption=data["caption"],
        hashtags=data["hashtags"],
        first_comment=data["first_comment"],
        title=data["title"],
    )


def variant_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Live limit feedback while typing (HTMX): the findings for the text in the form."""
    variant = get_variant_for_user(request.user, pk).variant
    form = forms.VariantForm(request.POST or request.GET, prefix=f"v{variant.pk}")
    findings: list[Finding] = []
    if form.is_valid():
        findings = services.findings_for(variant, text=_variant_text(form))
    return render(
        request,
        "content/post_detail.html#findings",
        {"findings": findings, "variant": variant, "live": True},
    )


@require_POST
def variant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    variant = get_variant_for_user(request.user, pk, edit=True).variant
    form = forms.VariantForm(request.POST, prefix=f"v{variant.pk}")
    if form.is_valid():
        try:
            services.variant_update(
                actor=request.user,
                variant=variant,
                text=_variant_text(form),
                version=form.cleaned_data.get("version"),
            )
            messages.success(
                request, _("Varian %(c)s disimpan sebagai draf.") % {"c": variant.channel}
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
    return redirect("content:post_detail", variant.post_id)


def _save_posted_text(request: HttpRequest, variant: PostVariant) -> None:
    """Save the variant text that came with a schedule button (the variant turns draft).

    The text and the schedule are one form on the post page, so an edit typed before
    pressing "Periksa & jadwalkan" is saved first and is what the checks look at.
    """
    if f"v{variant.pk}-caption" not in request.POST:
        return  # an older page or a script: no text was sent
    form = forms.VariantForm(request.POST, prefix=f"v{variant.pk}")
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
    before = (variant.caption, variant.hashtags, variant.first_comment, variant.title)
    services.variant_update(
        actor=request.user,
        variant=variant,
        text=_variant_text(form),
        version=form.cleaned_data.get("version"),
    )
    if before != (variant.caption, variant.hashtags, variant.first_comment, variant.title):
        messages.info(request, _("Teks varian %(c)s disimpan.") % {"c": variant.channel})


@require_POST
def variant_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    variant = get_variant_for_user(request.user, pk, edit=True).variant
    try:
        if action in ("submit", "reschedule"):
            _save_posted_text(request, variant)
        if action == "submit" or (action == "reschedule" and variant.status == S.DRAFT):
            # A scheduled variant whose text was just changed is a draft again: its new
            # text is checked and scheduled in one go rather than refused as "not ready".
            form = forms.ScheduleForm(request.POST, prefix=f"s{variant.pk}")
            when = form.cleaned_data["scheduled_at"] if form.is_valid() else None
            if request.POST.get(f"s{variant.pk}-scheduled_at") and when is None:
                raise ValidationError(_("Waktu terbit tidak dapat dibaca."))
            if action == "reschedule" and when is None:
                raise ValidationError(_("Waktu terbit tidak dapat dibaca."))
            services.variant_submit(actor=request.user, variant=variant, scheduled_at=when)
            messages.success(
                request,
                _("Varian %(c)s: %(s)s.")
                % {"c": variant.channel, "s": variant.get_status_display()},
            )
        elif action == "reschedule":
            form = forms.ScheduleForm(request.POST, prefix=f"s{variant.pk}")
            if not form.is_valid():
                raise ValidationError(_("Waktu terbit tidak dapat dibaca."))
            services.variant_reschedule(
                actor=request.user, variant=variant, when=form.cleaned_data["scheduled_at"]
            )
            messages.success(request, _("Dijadwalkan ulang."))
        elif action == "cancel":
            services.variant_cancel(actor=request.user, variant=variant)
            messages.success(request, _("Varian dibatalkan."))
        elif action == "manual":
            manual = forms.ManualPublishForm(request.POST)
            services.variant_mark_published_manually(
                actor=request.user,
                variant=variant,
                url=manual.cleaned_data["url"] if manual.is_valid() else "",
            )
            messages.success(request, _("Ditandai terbit."))
        elif action == "approve":
            services.variant_approve(actor=request.user, variant=variant)
            messages.success(request, _("Disetujui."))
        elif action == "send_back":
            services.variant_send_back(
                actor=request.user, variant=variant, note=request.POST.get("note", "")
            )
            messages.success(request, _("Dikembalikan ke penulis."))
        else:
            raise Http404
    except ValidationError as exc:
        _flash_errors(request, exc)
        if getattr(request, "htmx", False):
            return HttpResponse(" ".join(_errors(exc)), status=400)
    return redirect("content:post_detail", variant.post_id)


@require_POST
def variant_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag and drop: move a scheduled variant to another local day, same time of day."""
    variant = get_variant_for_user(request.user, pk, edit=True).variant
    form = forms.MoveForm(request.POST)
    if not form.is_valid() or variant.scheduled_at is None:
        return HttpResponse(_("Tanggal tidak valid."), status=400)
    local = timezone.localtime(variant.scheduled_at)
    when = timezone.make_aware(datetime.combine(form.cleaned_data["date"], local.time()))
    try:
        services.variant_reschedule(actor=request.user, variant=variant, when=when)
    except ValidationError as exc:
        return HttpResponse(" ".join(_errors(exc)), status=400)
    return HttpResponse(_("Dipindah ke %(d)s.") % {"d": form.cleaned_data["date"]})


def media_library(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    agencies = visible_agencies(request.user)
    qs = MediaAsset.objects.filter(agency__in=agencies).select_related("agency")
    agency_id = parse_id(request.GET.get("agency", ""))
    if agency_id is not None:
        qs = qs.filter(agency=get_agency_for_user(request.user, agency_id).agency)
    form = forms.MediaUploadForm(request.POST or None, request.FILES or None)
    upload_choices = _agency_choices(request)
    form.fields["agency"].choices = upload_choices  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if not upload_choices:
            raise PermissionDenied
        if form.is_valid():
            access = get_agency_for_user(request.user, form.cleaned_data["agency"], edit=True)
            try:
                media_upload(
                    actor=request.user,
                    agency=access.agency,
                    upload=form.cleaned_data["file"],
                    alt_text=form.cleaned_data["alt_text"],
                )
                messages.success(request, _("Berkas diunggah."))
                return redirect("content:media_library")
            except ValidationError as exc:
                _add_form_errors(form, exc)
        status = 400
    page = Paginator(qs, 48).get_page(request.GET.get("page"))
    return render(
        request,
        "content/media_library.html",
        {
            "page": page,
            "form": form,
            "agencies": agencies,
            "can_upload": bool(upload_choices),
        },
        status=status,
    )
