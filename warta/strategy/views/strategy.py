from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from warta.institutions.access import get_agency_for_user, require_officer, visible_agencies
from warta.institutions.models import Agency, Officer
from warta.lib.ids import parse_id
from warta.strategy import selectors, services
from warta.strategy.access import get_strategy_version_for_user
from warta.strategy.forms import DecisionForm, StrategyForm
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import SECTIONS, TEMPLATE_PLACEHOLDERS, diff, empty_data

SECTION_LABELS = {
    "purpose": gettext_lazy("Tujuan dan khalayak"),
    "pillars": gettext_lazy("Pilar dan target bauran"),
    "cadence": gettext_lazy("Target frekuensi"),
    "voice": gettext_lazy("Gaya bahasa, tagar, kata dan nama resmi"),
    "library": gettext_lazy("Templat dan bank ide"),
}


def _scope(request: HttpRequest, agency_id: int | None) -> tuple[Officer, Agency | None]:
    officer = require_officer(request.user)
    if agency_id is None:
        return officer, None
    return officer, get_agency_for_user(request.user, agency_id).agency


def strategy_home(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    agency_ids = list(visible_agencies(request.user).values_list("pk", flat=True))
    if not officer.is_coordinator and len(agency_ids) == 1:
        return redirect("strategy:agency_strategy", agency_id=agency_ids[0])
    return render(
        request,
        "strategy/home.html",
        {
            "baseline": selectors.current_version(officer.region_id, None),
            "rows": selectors.agency_overview(officer.region_id, agency_ids),
            "pending": selectors.pending_proposals(
                officer.region_id, None if officer.is_coordinator else agency_ids
            ),
        },
    )


def _may_propose_any(officer: Officer, agency: Agency | None) -> bool:
    if agency is None:
        return officer.is_coordinator
    rules, _window = selectors.governance_rules(officer.region_id)
    return any(officer.role in rule["propose"] for rule in rules.values())


def strategy_detail(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    officer, agency = _scope(request, agency_id)
    current = (
        selectors.current_strategy(agency)
        if agency
        else selectors.baseline_strategy(officer.region)
    )
    versions = selectors.versions_for(officer.region_id, agency.pk if agency else None)
    return render(
        request,
        "strategy/detail.html",
        {
            "agency": agency,
            "current_strategy": current,
            "current": current.own if agency else current.baseline,
            "versions": versions,
            "can_propose": _may_propose_any(officer, agency),
        },
    )


def strategy_propose(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    officer, agency = _scope(request, agency_id)
    if not _may_propose_any(officer, agency):
        raise PermissionDenied
    current = selectors.current_version(officer.region_id, agency.pk if agency else None)
    initial = StrategyForm.initial_from(current.data if current else empty_data())
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.strategy_propose(
                actor=request.user,
                region=officer.region,
                agency=agency,
                data=form.to_data(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            if version.status == StrategyVersion.Status.ACCEPTED:
                messages.success(
                    request, _("Versi %(n)s berlaku sekarang.") % {"n": version.number}
                )
            else:
                messages.success(
                    request,
                    _("Usulan versi %(n)s terkirim; berlaku setelah disetujui koordinator.")
                    % {"n": version.number},
                )
            return redirect("strategy:version_detail", pk=version.pk)
    rules, _window = selectors.governance_rules(officer.region_id)
    return render(
        request,
        "strategy/propose.html",
        {
            "form": form,
            "agency": agency,
            "current": current,
            "placeholders": ["{" + k + "}" for k in TEMPLATE_PLACEHOLDERS],
            "direct_sections": [
                SECTION_LABELS[s] for s in SECTIONS if officer.role in rules[s]["direct"]
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_strategy_version_for_user(request.user, pk)
    version = access.version
    previous = version.based_on
    return render(
        request,
        "strategy/version.html",
        {
            "version": version,
            "access": access,
            "data": version.data,
            "changes": diff(previous.data if previous else empty_data(), version.data),
            "previous": previous,
            "decision_form": DecisionForm(),
            "section_labels": [SECTION_LABELS.get(s, s) for s in version.sections],
        },
    )


@require_POST
def version_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_strategy_version_for_user(request.user, pk)
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    try:
        if action == "accept" and access.can_decide:
            services.strategy_accept(actor=request.user, version=access.version, note=note)
            messages.success(request, _("Usulan diterima dan berlaku sekarang."))
        elif action == "reject" and access.can_decide:
            services.strategy_reject(actor=request.user, version=access.version, note=note)
            messages.success(request, _("Usulan ditolak."))
        elif action == "withdraw" and access.can_withdraw:
            services.strategy_withdraw(actor=request.user, version=access.version)
            messages.success(request, _("Usulan ditarik."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("strategy:version_detail", pk=pk)


def version_diff(request: HttpRequest) -> HttpResponse:
    try:
        a_pk, b_pk = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404 from None
    a = get_strategy_version_for_user(request.user, a_pk).version
    b = get_strategy_version_for_user(request.user, b_pk).version
    if (a.region_id, a.agency_id) != (b.region_id, b.agency_id):
        raise Http404
    if a.number > b.number:
        a, b = b, a
    return render(request, "strategy/diff.html", {"a": a, "b": b, "changes": diff(a.data, b.data)})


def governance(request: HttpRequest) -> HttpResponse:
    officer = require_officer(request.user)
    if not officer.is_coordinator:
        raise PermissionDenied
    rules, window = selectors.governance_rules(officer.region_id)
    roles = [(r, Officer.Role(r).label) for r in selectors.ALL_PROPOSERS]
    errors: list[str] = []
    if request.method == "POST":
        new_rules = {
            s: {
                "propose": request.POST.getlist(f"{s}_propose"),
                "direct": request.POST.getlist(f"{s}_direct"),
            }
            for s in SECTIONS
        }
        try:
            window_days = int(request.POST.get("window", "90"))
            services.governance_update(
                actor=request.user,
                region=officer.region,
                rules=new_rules,
                head_change_window_days=window_days,
            )
        except ValueError:
            errors.append(_("Jendela pergantian pimpinan harus berupa angka hari."))
        except ValidationError as exc:
            errors += exc.messages
        else:
            messages.success(request, _("Tata kelola strategi disimpan."))
            return redirect("strategy:governance")
    rows = [
        {
            "section": s,
            "label": SECTION_LABELS[s],
            "roles": [
                {
                    "value": r,
                    "label": label,
                    "propose": r in rules[s]["propose"],
                    "direct": r in rules[s]["direct"],
                }
                for r, label in roles
            ],
        }
        for s in SECTIONS
    ]
    return render(
        request,
        "strategy/governance.html",
        {"rows": rows, "window": window, "errors": errors},
        status=400 if errors else 200,
    )


def current_summary(request: HttpRequest) -> HttpResponse:
    """The current strategy as a fragment for the post editor (hx-get with ?agency=ID)."""
    agency_id = parse_id(request.GET.get("agency", ""))
    if agency_id is None:
        raise Http404
    agency = get_agency_for_user(request.user, agency_id).agency
    return render(
        request,
        "strategy/_current_summary.html",
        {"current_strategy": selectors.current_strategy(agency)},
    )
