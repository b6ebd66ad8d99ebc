import uuid
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from warta.channels.models import Channel, WhatsAppTemplate
from warta.core.reasons import localize
from warta.engagement import moderation, selectors, services, whatsapp
from warta.engagement.access import (
    get_inbox_item_for_user,
    get_reply_for_user,
    get_reply_template_for_user,
)
from warta.engagement.imports import inbox_import_create
from warta.engagement.models import (
    ImportRun,
    InboxItem,
    InformationRequest,
    ReplyTemplate,
    SavedView,
)
from warta.engagement.tasks import process_inbox_import
from warta.engagement.views.common import add_service_errors, flash_errors
from warta.institutions.access import editable_agencies, require_officer, visible_agencies
from warta.institutions.models import Agency, Officer
from warta.lib.ids import parse_id
from warta.lib.platforms import Platform
from warta.lib.urls import reverser

ANNOTATION_LABELS = [
    ("intent:question", gettext_lazy("Pertanyaan")),
    ("intent:complaint", gettext_lazy("Keluhan")),
    ("intent:information_request", gettext_lazy("Permintaan informasi")),
    ("intent:suggestion", gettext_lazy("Saran")),
    ("intent:praise", gettext_lazy("Pujian")),
    ("negative", gettext_lazy("Sentimen negatif")),
    ("positive", gettext_lazy("Sentimen positif")),
    ("abusive", gettext_lazy("Kasar")),
    ("hate_speech", gettext_lazy("Ujaran kebencian")),
    ("spam", gettext_lazy("Spam")),
    ("not_spam", gettext_lazy("Bukan spam")),
    ("unannotated", gettext_lazy("Belum dianalisis")),
]


def _assignable_users(agency: Agency) -> list[User]:
    """People who may take on an item of this agency: its officers and the coordinators."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(officer__role=Officer.Role.OFFICER, officer__agencies=agency)
            | Q(officer__role=Officer.Role.COORDINATOR, officer__region_id=agency.region_id)
        )
        .distinct()
        .order_by("first_name", "username")
    )


_STATUS = dict(InboxItem.Status.choices)
_KIND = dict(InboxItem.Kind.choices)
_INTENT = dict(InboxItem.Intent.choices)
_PLATFORM = dict(Platform.choices)


def _label(items: list[InboxItem]) -> None:
    """Display labels, links and times made once per row, not in the template.

    get_FOO_display per row and field cost more than the query; a lazy label is translated
    again at each use, reverse() and the date filter were most of the list's rendering.
    """
    status, kind, intent, platform = (
        {k: str(v) for k, v in names.items()} for names in (_STATUS, _KIND, _INTENT, _PLATFORM)
    )
    item_url = reverser("engagement:item_detail")
    for item in items:
        item.status_label = status.get(item.status, item.status)  # type: ignore[attr-defined]
        item.kind_label = kind.get(item.kind, item.kind)  # type: ignore[attr-defined]
        item.intent_label = intent.get(item.intent, item.intent)  # type: ignore[attr-defined]
        item.platform_label = platform.get(item.channel.platform, "")  # type: ignore[attr-defined]
        item.url = item_url(item.pk)  # type: ignore[attr-defined]
        received = timezone.localtime(item.received_at)
        item.received_iso = received.isoformat()  # type: ignore[attr-defined]
        item.received_label = date_format(received, "d M Y H:i")  # type: ignore[attr-defined]
        item.due_label = (  # type: ignore[attr-defined]
            date_format(timezone.localtime(item.response_due_at), "d M H:i")
            if item.response_due_at and not item.first_response_at
            else ""
        )


def _request_offers(user: User, items: list[InboxItem]) -> set[int]:
    """Items the language engine reads as information requests, not yet in the register,
    that this user may record (an information request must reach the PPID register)."""
    asking = [i for i in items if i.intent == "information_request"]
    if not asking:
        return set()
    editable = set(editable_agencies(user).values_list("pk", flat=True))
    recorded = set(
        InformationRequest.objects.filter(inbox_item__in=asking).values_list(
            "inbox_item_id", flat=True
        )
    )
    return {i.pk for i in asking if i.agency_id in editable and i.pk not in recorded}


def inbox(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    filters = selectors.InboxFilters.from_query(request.GET)
    items, cursor = selectors.inbox_list_page(
        request.user, filters, before=request.GET.get("before", "")
    )
    _label(items)
    agencies = list(visible_agencies(request.user))
    query = request.GET.copy()
    query.pop("before", None)
    next_query = query.copy()
    if cursor:
        next_query["before"] = cursor
    context = {
        "items": items,
        "filters": filters,
        "agencies": agencies,
        # The filter's choices: a channel row also holds its credentials and sync state.
        "channels": Channel.objects.filter(agency__in=agencies)
        .select_related("agency")
        .only("platform", "handle", "mode", "agency__short_name")
        .order_by("agency", "platform"),
        "annotation_labels": ANNOTATION_LABELS,
        "statuses": InboxItem.Status.choices,
        "saved_views": SavedView.objects.filter(owner_id=request.user.pk),
        "query": query.urlencode(),
        "next_url": f"?{next_query.urlencode()}" if cursor else "",
        # editable_agencies(user).exists(), from the agencies read above.
        "can_edit": officer.can_write and bool(agencies),
        "editable_request_offers": _request_offers(request.user, items),  # type: ignore[arg-type]
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, "engagement/inbox.html#items", context)
    return render(request, "engagement/inbox.html", context)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Balasan"),
        max_length=services.MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)
    # WhatsApp only: outside the 24-hour window the reply goes as an approved template.
    wa_template = forms.TypedChoiceField(
        label=gettext_lazy("Templat WhatsApp yang disetujui"),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: object, templates: list[WhatsAppTemplate], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["wa_template"]
        field.choices = [("", _("— tanpa templat (teks bebas) —"))] + [  # type: ignore[attr-defined]
            (t.pk, f"{t.name} ({t.language}): {t.body}") for t in templates
        ]
        self.templates = {t.pk: t for t in templates}

    def template(self) -> WhatsAppTemplate | None:
        return self.templates.get(self.cleaned_data.get("wa_template") or 0)


def _whatsapp_context(item: InboxItem) -> dict[str, object]:
    if not whatsapp.is_whatsapp(item.channel):
        return {"whatsapp": None}
    contact = whatsapp.contact_of(item)
    return {
        "whatsapp": {
            "contact": contact,
            "window_open": whatsapp.window_open(contact),
            "closes_at": whatsapp.window_closes_at(contact),
            "opted_out": contact is not None and contact.opted_out_at is not None,
        },
        "wa_templates": whatsapp.approved_templates(item.channel),
    }


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_inbox_item_for_user(request.user, pk)
    item = found.obj
    template_id = parse_id(request.GET.get("template", ""))
    initial_text = ""
    if template_id is not None:
        template = ReplyTemplate.objects.filter(pk=template_id, agency=item.agency).first()
        initial_text = template.body if template else ""
    rules = moderation.rules_for(item.agency)
    wa_context = _whatsapp_context(item)
    wa_templates: list[WhatsAppTemplate] = wa_context.get("wa_templates", [])  # type: ignore[assignment]
    context = {
        **wa_context,
        "item": item,
        "can_edit": found.can_edit,
        "thread": selectors.thread_of(item),
        "earlier": selectors.earlier_messages_of_author(item),
        "replies": item.warta_replies.select_related("author"),
        "reply_form": ReplyForm(
            initial={"text": initial_text, "key": uuid.uuid4()}, templates=wa_templates
        ),
        "templates": ReplyTemplate.objects.filter(agency=item.agency),
        "assignees": _assignable_users(item.agency),
        "may_hide": moderation.may_hide(item, rules),
        "may_delete": moderation.may_delete(item, rules),
        "requests": item.info_requests.all(),
    }
    return render(request, "engagement/item_detail.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect("engagement:item_detail", pk=pk)


@require_POST
def item_assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_inbox_item_for_user(request.user, pk, edit=True).obj
    value = request.POST.get("assignee", "")
    if value == "me":
        assignee: User | None = request.user  # type: ignore[assignment]
    elif (user_id := parse_id(value)) is not None:
        assignee = get_object_or_404(User, pk=user_id)
    else:
        assignee = None
    try:
        services.inbox_item_assign(item=item, assignee=assignee, actor=request.user)
        messages.success(request, _("Penugasan disimpan."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(pk)


@require_POST
def item_reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_inbox_item_for_user(request.user, pk, edit=True)
    templates = (
        whatsapp.approved_templates(found.obj.channel)
        if whatsapp.is_whatsapp(found.obj.channel)
        else []
    )
    form = ReplyForm(request.POST, templates=templates)
    if form.is_valid():
        try:
            reply = services.reply_create(
                item=found.obj,
                text=form.cleaned_data["text"],
                actor=request.user,
                idempotency_key=form.cleaned_data["key"],
                wa_template=form.template(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if reply.status == reply.Status.SENT:
                messages.success(request, _("Balasan terkirim."))
            elif reply.status == reply.Status.FAILED:
                messages.error(
                    request, _("Balasan gagal dikirim: %(e)s") % {"e": localize(reply.error)}
                )
            else:
                messages.info(request, _("Balasan dalam antrean pengiriman."))
            return _back(pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, str(message))
    return _back(pk)


@require_POST
def reply_retry(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_reply_for_user(request.user, pk, edit=True).obj
    try:
        services.reply_retry(reply=reply, actor=request.user)
        messages.info(request, _("Balasan dikirim ulang dengan kunci yang sama."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(reply.item_id)


@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_inbox_item_for_user(request.user, pk, edit=True).obj
    services.inbox_item_set_done(
        item=item, actor=request.user, done=request.POST.get("done") != "0"
    )
    if request.POST.get("next") == "inbox":
        return redirect("engagement:inbox")
    return _back(pk)


@require_POST
def item_responded(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_inbox_item_for_user(request.user, pk, edit=True).obj
    services.inbox_item_record_response(item=item, actor=request.user)
    messages.success(request, _("Tanggapan di platform dicatat."))
    return _back(pk)


@require_POST
def item_hide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_inbox_item_for_user(request.user, pk, edit=True).obj
    try:
        services.inbox_item_hide(
            item=item, actor=request.user, hidden=request.POST.get("hidden") != "0"
        )
        messages.success(request, _("Status tampil di platform diperbarui."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(pk)


@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_inbox_item_for_user(request.user, pk, edit=True).obj
    try:
        services.inbox_item_delete_on_platform(item=item, actor=request.user)
        messages.success(request, _("Komentar dihapus di platform; salinannya tetap di warta."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return _back(pk)


@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    query = request.POST.get("query", "")
    try:
        services.saved_view_create(
            owner=request.user,  # type: ignore[arg-type]
            name=request.POST.get("name", ""),
            query=query,
        )
        messages.success(request, _("Tampilan disimpan."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{reverse('engagement:inbox')}?{query}")


@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    services.saved_view_delete(view=view)
    return redirect("engagement:inbox")


class TemplateForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=gettext_lazy("Perangkat daerah")
    )
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=120)
    body = forms.CharField(
        label=gettext_lazy("Isi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_REPLY_CHARS,
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = editable_agencies(user)  # type: ignore[attr-defined]


def template_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    form = TemplateForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        if not editable_agencies(request.user).exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reply_template_create(
                    agency_id=form.cleaned_data["agency"].pk,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    actor=request.user,
                )
                messages.success(request, _("Templat disimpan."))
                return redirect("engagement:template_list")
            except ValidationError as exc:
                add_service_errors(form, exc)
    templates = ReplyTemplate.objects.filter(
        agency__in=visible_agencies(request.user)
    ).select_related("agency")
    return render(
        request,
        "engagement/template_list.html",
        {
            "templates": templates,
            "form": form,
            "can_edit": editable_agencies(request.user).exists(),
        },
    )


@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_reply_template_for_user(request.user, pk, edit=True).obj
    services.reply_template_delete(template=template, actor=request.user)
    messages.success(request, _("Templat dihapus."))
    return redirect("engagement:template_list")


class ImportForm(forms.Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), label=gettext_lazy("Kanal"))
    file = forms.FileField(label=gettext_lazy("Berkas ekspor (CSV atau XLSX)"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            agency__in=editable_agencies(user)
        ).select_related("agency")


def import_file(request: HttpRequest) -> HttpResponse:
    """Store the upload and queue its import; the worker reads it, never this request."""
    require_officer(request.user)
    if not editable_agencies(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                run = inbox_import_create(
                    channel=form.cleaned_data["channel"],
                    content=upload.read(),
                    filename=upload.name,
                    actor=request.user,
                )
                transaction.on_commit(partial(process_inbox_import.enqueue, run.pk))
            return redirect("engagement:import_detail", pk=run.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    runs = ImportRun.objects.filter(
        channel__agency__in=visible_agencies(request.user)
    ).select_related("channel__agency")[:10]
    return render(
        request,
        "engagement/import.html",
        {"form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_officer(request.user)
    run = (
        ImportRun.objects.filter(pk=pk, channel__agency__in=visible_agencies(request.user))
        .select_related("channel__agency")
        .first()
    )
    if run is None:
        raise Http404
    template = "engagement/import_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"run": run})
