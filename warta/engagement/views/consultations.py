from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from warta.content.models import PostVariant
from warta.engagement import consultations as svc
from warta.engagement import screening, selectors
from warta.engagement.access import (
    get_action_for_user,
    get_consultation_for_user,
    get_input_for_user,
    get_theme_for_user,
)
from warta.engagement.models import ConsultationTheme
from warta.engagement.views.common import add_service_errors
from warta.engagement.views.ppid import DT_FORMATS, LOCAL_DT
from warta.institutions.access import editable_agencies, require_officer
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.ids import parse_id
from warta.strategy.selectors import current_strategy


class ConsultationForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=gettext_lazy("Perangkat daerah")
    )
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200)
    question = forms.CharField(
        label=gettext_lazy("Pertanyaan kepada publik"), widget=forms.Textarea(attrs={"rows": 3})
    )
    background = forms.CharField(
        label=gettext_lazy("Latar belakang"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Dibuka"),
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs=LOCAL_DT, format=DT_FORMATS[0]),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Ditutup"),
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs=LOCAL_DT, format=DT_FORMATS[0]),
    )
    has_public_form = forms.BooleanField(
        label=gettext_lazy("Halaman publik dengan formulir tanpa akun"), required=False
    )
    variants = forms.ModelMultipleChoiceField(
        queryset=PostVariant.objects.none(),
        required=False,
        label=gettext_lazy("Unggahan yang mengumumkan konsultasi"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = editable_agencies(user)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["variants"].queryset = (  # type: ignore[attr-defined]
            # Recent posts only (a slice would break the field's validation).
            PostVariant.objects.filter(
                post__agency__in=agencies,
                post__created_at__gte=clock.now() - timedelta(days=120),
            )
            .select_related("post", "channel")
            .order_by("-published_at", "-id")
        )


def consultation_list(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    page = Paginator(selectors.consultations(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/consultation_list.html",
        {
            "consultations": page.object_list,
            "page": page,
            "now": clock.now(),
            "can_edit": editable_agencies(request.user).exists(),
            "region": officer.region,
        },
    )


def consultation_create(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    if not editable_agencies(request.user).exists():
        raise PermissionDenied
    form = ConsultationForm(
        request.POST or None,
        user=request.user,  # type: ignore[arg-type]
        initial={"has_public_form": True},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = svc.consultation_create(
                agency=d["agency"],
                actor=request.user,
                title=d["title"],
                question=d["question"],
                background=d["background"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                has_public_form=d["has_public_form"],
                variant_ids=[v.pk for v in d["variants"]],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("engagement:consultation_detail", pk=created.pk)
    return render(request, "engagement/consultation_form.html", {"form": form})


def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for_user(request.user, pk, edit=True).obj
    initial = {
        "agency": consultation.agency_id,
        "title": consultation.title,
        "question": consultation.question,
        "background": consultation.background,
        "opens_at": timezone.localtime(consultation.opens_at),
        "closes_at": timezone.localtime(consultation.closes_at),
        "has_public_form": consultation.has_public_form,
        "variants": list(consultation.announcing_variants.values_list("pk", flat=True)),
    }
    form = ConsultationForm(request.POST or None, user=request.user, initial=initial)  # type: ignore[arg-type]
    form.fields["agency"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.consultation_update(
                consultation=consultation,
                actor=request.user,
                title=d["title"],
                question=d["question"],
                background=d["background"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                has_public_form=d["has_public_form"],
                variant_ids=[v.pk for v in d["variants"]],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("engagement:consultation_detail", pk=pk)
    return render(
        request, "engagement/consultation_form.html", {"form": form, "consultation": consultation}
    )


def _with_segments(items: Any) -> list[Any]:
    """Input with its findings cut out for highlighting (the officer sees all of it)."""
    out = []
    for item in items:
        item.segments = screening.segments(item.text, item.findings)
        item.flagged = sorted({s.kind for s in item.segments if s.code})
        out.append(item)
    return out


# Themes per page, and the first distinct inputs shown in each theme's "Kelola tema" (all
# of them, a page at a time, behind a link): the page costs the same queries whatever
# the number of themes and inputs.
THEMES_PER_PAGE = 10
INPUTS_PER_THEME = 5
THEME_INPUTS_PER_PAGE = 50


def _themes_context(
    consultation: Any, can_edit: bool, open_theme: int | None, page: str | None = None
) -> dict[str, Any]:
    ordered = selectors.themes_with_counts(consultation)
    if not page and open_theme:
        # The page that holds the theme just acted on or linked to.
        ids = list(ordered.prefetch_related(None).values_list("pk", flat=True))
        if open_theme in ids:
            page = str(ids.index(open_theme) // THEMES_PER_PAGE + 1)
    page_obj = Paginator(ordered, THEMES_PER_PAGE).get_page(page)
    themes = list(page_obj.object_list)
    originals = selectors.theme_originals([t.pk for t in themes], limit=INPUTS_PER_THEME)
    # The agency's own published contacts are not personal data: read once, not per theme.
    contacts = current_strategy(consultation.agency).data["official_contacts"]
    for theme in themes:
        theme.progress = selectors.progress_of(theme)  # type: ignore[attr-defined]
        theme.quotes = _with_segments(theme.quotes)  # type: ignore[attr-defined]
        theme.originals_list = _with_segments(originals[theme.pk])  # type: ignore[attr-defined]
        theme.originals_hidden = max(0, theme.originals - INPUTS_PER_THEME)  # type: ignore[attr-defined]
        theme.label_personal = screening.has_personal_data(  # type: ignore[attr-defined]
            theme.label,
            region_id=consultation.agency.region_id,
            agency_id=consultation.agency_id,
            official_contacts=contacts,
        )
        if theme.published is not None and can_edit:
            view, _problems = svc.theme_public_view(theme)
            theme.changed_since_publish = view != theme.published  # type: ignore[attr-defined]
    return {
        "consultation": consultation,
        "can_edit": can_edit,
        "themes": themes,
        "page": page_obj,
        # For "merge into": every theme, also those on other pages, in one query.
        "all_themes": list(ordered.prefetch_related(None).values_list("pk", "label")),
        "answers": ConsultationTheme.Answer.choices,
        "today": clock.localdate(),
        "open_theme": open_theme,
        "published_count": consultation.themes.filter(published__isnull=False).count(),
    }


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_consultation_for_user(request.user, pk)
    consultation = found.obj
    ungrouped = _with_segments(
        consultation.inputs.filter(theme__isnull=True, duplicate_of__isnull=True)[:200]
    )
    open_theme = request.GET.get("tema", "")
    context = _themes_context(
        consultation, found.can_edit, parse_id(open_theme), request.GET.get("page")
    )
    context.update(
        {
            "counts": selectors.consultation_counts(consultation),
            "flagged_count": consultation.inputs.filter(duplicate_of__isnull=True)
            .exclude(findings=[])
            .exclude(findings__isnull=True)
            .count(),
            "ungrouped": ungrouped,
            "now": clock.now(),
            "variants": consultation.announcing_variants.select_related("channel", "post"),
        }
    )
    return render(request, "engagement/consultation_detail.html", context)


def theme_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    """Every distinct input of one theme, a page at a time, to quote or split off."""
    found = get_theme_for_user(request.user, pk)
    theme = found.obj
    inputs = theme.inputs.filter(duplicate_of__isnull=True).order_by("id")
    page = Paginator(inputs, THEME_INPUTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/theme_inputs.html",
        {
            "theme": theme,
            "consultation": theme.consultation,
            "items": _with_segments(page.object_list),
            "page": page,
            "can_edit": found.can_edit,
        },
    )


def _done(
    request: HttpRequest,
    consultation_id: int,
    act: Any,
    ok: str,
    *,
    theme_id: int | None = None,
) -> HttpResponse:
    """Run a theme action; answer HTMX with the themes re-rendered in place, others with a redirect."""
    error: list[str] = []
    try:
        act()
    except ValidationError as exc:
        error = exc.messages
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        consultation = get_consultation_for_user(request.user, consultation_id).obj
        context = _themes_context(consultation, True, theme_id)
        context.update({"status_ok": "" if error else ok, "status_errors": error})
        return render(request, "engagement/consultation_detail.html#themes", context)
    if error:
        for message in error:
            messages.error(request, message)
    else:
        messages.success(request, ok)
    url = reverse("engagement:consultation_detail", args=[consultation_id])
    if theme_id:
        url += f"?tema={theme_id}#tema-{theme_id}"
    return redirect(url)


@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        pk,
        lambda: svc.consultation_close(consultation=c, actor=request.user),
        _("Konsultasi ditutup."),
    )


@require_POST
def consultation_collect(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, edit=True).obj
    count = svc.consultation_collect_comments(consultation=c)
    messages.success(
        request,
        ngettext("%(n)d komentar baru dikumpulkan.", "%(n)d komentar baru dikumpulkan.", count)
        % {"n": count},
    )
    return redirect("engagement:consultation_detail", pk=pk)


@require_POST
def consultation_group(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        pk,
        lambda: svc.consultation_group(consultation=c, actor=request.user),
        _("Masukan dikelompokkan."),
    )


@require_POST
def consultation_follow_up_post(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        pk,
        lambda: svc.consultation_follow_up_post(consultation=c, actor=request.user),
        _("Draf unggahan tindak lanjut dibuat di kalender."),
    )


@require_POST
def theme_rename(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.theme_rename(
            theme=theme, label=request.POST.get("label", ""), actor=request.user
        ),
        _("Tema diganti nama."),
        theme_id=theme.pk,
    )


@require_POST
def theme_merge(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_theme_for_user(request.user, pk, edit=True).obj
    target_id = request.POST.get("target", "")
    target = ConsultationTheme.objects.filter(
        pk=parse_id(target_id) or 0, consultation_id=source.consultation_id
    ).first()
    if target is None:

        def refuse() -> None:
            raise ValidationError(_("Pilih tema tujuan."))

        return _done(request, source.consultation_id, refuse, "", theme_id=source.pk)
    return _done(
        request,
        source.consultation_id,
        lambda: svc.theme_merge(source=source, target=target, actor=request.user),
        _("Tema digabung."),
        theme_id=target.pk,
    )


@require_POST
def theme_split(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    ids = [i for v in request.POST.getlist("inputs") if (i := parse_id(v)) is not None]
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.theme_split(
            theme=theme, input_ids=ids, label=request.POST.get("label", ""), actor=request.user
        ),
        _("Tema dipisah."),
        theme_id=theme.pk,
    )


@require_POST
def theme_answer(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.theme_answer(
            theme=theme,
            answer=request.POST.get("answer", ""),
            reason=request.POST.get("answer_reason", ""),
            actor=request.user,
        ),
        _("Jawaban disimpan."),
        theme_id=theme.pk,
    )


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_date = forms.DateField(required=False)


@require_POST
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _done(
            request,
            theme.consultation_id,
            _refuse(_("Isi tindak lanjut dan tanggal yang benar.")),
            "",
            theme_id=theme.pk,
        )
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.action_create(
            theme=theme,
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            actor=request.user,
        ),
        _("Tindak lanjut ditambahkan."),
        theme_id=theme.pk,
    )


class UpdateForm(forms.Form):
    date = forms.DateField()
    progress = forms.IntegerField(min_value=0, max_value=100)
    note = forms.CharField()


@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request.user, pk, edit=True).obj
    consultation_id = action.theme.consultation_id
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _done(
            request,
            consultation_id,
            _refuse(_("Isi tanggal, kemajuan (0-100) dan catatan.")),
            "",
            theme_id=action.theme_id,
        )
    d = form.cleaned_data
    return _done(
        request,
        consultation_id,
        lambda: svc.action_add_update(
            action=action, day=d["date"], progress=d["progress"], note=d["note"], actor=request.user
        ),
        _("Kabar tindak lanjut dicatat."),
        theme_id=action.theme_id,
    )


@require_POST
def input_quote(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_input_for_user(request.user, pk, edit=True).obj
    quote = request.POST.get("quote") == "1"
    return _done(
        request,
        item.consultation_id,
        lambda: svc.input_set_quote(item=item, quote=quote, actor=request.user),
        _("Kutipan diperbarui."),
        theme_id=item.theme_id,
    )


def _refuse(message: str) -> Any:
    def act() -> None:
        raise ValidationError(message)

    return act


def theme_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly what the public will see of a theme once published, and what stops it."""
    found = get_theme_for_user(request.user, pk, edit=True)
    theme = found.obj
    view, problems = svc.theme_public_view(theme)
    context = {
        "theme": theme,
        "consultation": theme.consultation,
        "view": selectors.public_theme_for_display(dict(view)),
        "problems": problems,
        "digest": svc.public_view_digest(view),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, "engagement/theme_preview.html#preview", context)
    return render(request, "engagement/theme_preview.html", context)


@require_POST
def theme_publish(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.theme_publish(
            theme=theme, actor=request.user, digest=request.POST.get("digest", "")
        ),
        _("Tema diterbitkan di halaman publik."),
        theme_id=theme.pk,
    )


@require_POST
def theme_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, pk, edit=True).obj
    return _done(
        request,
        theme.consultation_id,
        lambda: svc.theme_unpublish(theme=theme, actor=request.user),
        _("Tema ditarik dari halaman publik."),
        theme_id=theme.pk,
    )
