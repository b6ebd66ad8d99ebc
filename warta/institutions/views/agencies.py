"""Pages for agencies, leadership terms and people. Coordinators manage; others read."""

from django import forms
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.core.apitokens import tokens_of
from warta.core.forms import add_service_errors
from warta.institutions import services
from warta.institutions.access import (
    get_agency_for_user,
    get_officer_for_user,
    get_term_for_user,
    is_coordinator,
    require_officer,
    visible_agencies,
)
from warta.institutions.forms import AgencyForm, OfficerForm, PasswordForm, TermCloseForm, TermForm
from warta.institutions.models import Agency, Officer


def _require_coordinator(request: HttpRequest) -> Officer:
    me = require_officer(request.user)
    if not me.is_coordinator:
        raise PermissionDenied
    return me


def _error_messages(form: forms.Form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


# --- agencies -----------------------------------------------------------------------

LIST_PAGE_SIZE = 50


def agency_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    agencies = (
        visible_agencies(request.user)
        .annotate(
            channel_count=Count("channels", distinct=True),
            officer_count=Count("officers", distinct=True),
        )
        .order_by("name", "pk")
    )
    # A province holds hundreds of agencies: a page at a time, the same queries for each.
    page = Paginator(agencies, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/agency_list.html",
        {
            "agencies": page.object_list,
            "page": page,
            "can_manage": is_coordinator(request.user),
        },
    )


def agency_create(request: HttpRequest) -> HttpResponse:
    me = _require_coordinator(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request.user, region=me.region, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Perangkat daerah %(name)s ditambahkan.") % {"name": agency.short_name}
            )
            return redirect("institutions:agency_detail", agency.pk)
    return render(request, "institutions/agency_form.html", {"form": form, "agency": None})


def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    agency = get_agency_for_user(request.user, pk, edit=True).agency
    initial = {"name": agency.name, "short_name": agency.short_name, "kind": agency.kind}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("institutions:agency_detail", agency.pk)
    return render(request, "institutions/agency_form.html", {"form": form, "agency": agency})


@require_POST
def agency_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    agency = get_agency_for_user(request.user, pk, edit=True).agency
    active = request.POST.get("active") == "1"
    services.agency_set_active(actor=request.user, agency=agency, active=active)
    messages.success(
        request,
        _("Perangkat daerah diaktifkan.") if active else _("Perangkat daerah dinonaktifkan."),
    )
    return redirect("institutions:agency_detail", agency.pk)


def _terms_context(
    request: HttpRequest,
    agency: Agency,
    form: TermForm | None = None,
    close_errors: dict[int, TermCloseForm] | None = None,
) -> dict[str, object]:
    return {
        "agency": agency,
        "terms": agency.leadership_terms.all(),
        "can_manage": is_coordinator(request.user),
        "term_form": form or TermForm(),
        "close_forms": close_errors or {},
    }


def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_agency_for_user(request.user, pk)
    agency = access.agency
    context = _terms_context(request, agency)
    context.update(
        {
            "can_edit": access.can_edit,
            "channels": agency.channels.all(),
            "officers": agency.officers.select_related("user"),
        }
    )
    return render(request, "institutions/agency_detail.html", context)


@require_POST
def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    agency = get_agency_for_user(request.user, pk, edit=True).agency
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_add(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TermForm()
    # htmx 2 swaps only 2xx answers, so a form with errors comes back as 200.
    if not request.htmx:  # type: ignore[attr-defined]
        if form.errors:
            for message in _error_messages(form):
                messages.error(request, message)
        return redirect("institutions:agency_detail", agency.pk)
    return render(
        request, "institutions/agency_detail.html#terms", _terms_context(request, agency, form)
    )


@require_POST
def term_close(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_term_for_user(request.user, pk, edit=True)
    form = TermCloseForm(request.POST)
    close_forms: dict[int, TermCloseForm] = {}
    if form.is_valid():
        try:
            services.term_close(actor=request.user, term=term, end=form.cleaned_data["end"])
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        close_forms[term.pk] = form
    if not request.htmx:  # type: ignore[attr-defined]
        for message in _error_messages(form):
            messages.error(request, message)
        return redirect("institutions:agency_detail", term.agency_id)
    return render(
        request,
        "institutions/agency_detail.html#terms",
        _terms_context(request, term.agency, close_errors=close_forms),
    )


# --- officers -----------------------------------------------------------------------


def officer_list(request: HttpRequest) -> HttpResponse:
    me = _require_coordinator(request)
    officers = (
        Officer.objects.filter(region_id=me.region_id)
        .select_related("user")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("short_name")))
        .order_by("user__username")
    )
    role = request.GET.get("role", "")
    if role in Officer.Role.values:
        officers = officers.filter(role=role)
    page = Paginator(officers, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/officer_list.html",
        {
            "officers": page.object_list,
            "page": page,
            "roles": Officer.Role.choices,
            "role": role,
        },
    )


def _set_password_link(request: HttpRequest, officer: Officer) -> str:
    uid = urlsafe_base64_encode(force_bytes(officer.user_id))
    token = default_token_generator.make_token(officer.user)
    return request.build_absolute_uri(
        reverse("institutions:password_set", kwargs={"uidb64": uid, "token": token})
    )


def _link_context(request: HttpRequest, officer: Officer) -> dict[str, object]:
    link = _set_password_link(request, officer)
    emailed = services.officer_email_password_link(officer=officer, link=link)
    return {"officer": officer, "link": link, "emailed": emailed}


def officer_create(request: HttpRequest) -> HttpResponse:
    me = _require_coordinator(request)
    form = OfficerForm(request.POST or None, region=me.region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["password"] = data.get("password") or None
        try:
            officer = services.officer_create(actor=request.user, region=me.region, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Petugas %(name)s ditambahkan.") % {"name": officer})
            if data["password"] is None:
                return render(
                    request,
                    "institutions/password_link.html",
                    _link_context(request, officer),
                )
            return redirect("institutions:officer_edit", officer.pk)
    return render(request, "institutions/officer_form.html", {"form": form, "target": None})


def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _require_coordinator(request)
    officer = get_officer_for_user(request.user, pk, edit=True)
    user = officer.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": officer.phone,
        "role": officer.role,
        "agencies": list(officer.agencies.all()),
    }
    form = OfficerForm(request.POST or None, region=me.region, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(actor=request.user, officer=officer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("institutions:officer_list")
    return render(
        request,
        "institutions/officer_form.html",
        {
            "form": form,
            "target": officer,
            "password_form": PasswordForm(),
            "tokens": tokens_of(officer.user),
        },
    )


@require_POST
def officer_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    officer = get_officer_for_user(request.user, pk, edit=True)
    active = request.POST.get("active") == "1"
    try:
        services.officer_set_active(actor=request.user, officer=officer, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Akun diaktifkan.") if active else _("Akun dinonaktifkan."))
    return redirect("institutions:officer_edit", officer.pk)


@require_POST
def officer_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a password the coordinator passes on, or (empty) reset and make a link."""
    _require_coordinator(request)
    officer = get_officer_for_user(request.user, pk, edit=True)
    password = request.POST.get("password", "")
    if not password:
        services.officer_reset_password(actor=request.user, officer=officer)
        return render(
            request,
            "institutions/password_link.html",
            _link_context(request, officer),
        )
    try:
        services.officer_set_password(actor=request.user, officer=officer, password=password)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Kata sandi baru disimpan."))
    return redirect("institutions:officer_edit", officer.pk)
