"""API tokens: one's own (make, list, revoke) and, for a coordinator, revoking a person's."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from warta.core.apitokens import (
    EXPIRY_CHOICES,
    api_token_create,
    api_token_revoke,
    tokens_of,
)
from warta.core.forms import add_service_errors
from warta.institutions.access import get_api_token_for_user, require_officer
from warta.institutions.forms import ApiTokenForm


def api_token(request: HttpRequest) -> HttpResponse:
    """One's tokens (prefix, name, when made and last used) and a form to make another."""
    require_officer(request.user)
    return _page(request, ApiTokenForm(initial={"expires": "90"}), raw=None)


@require_POST
@sensitive_variables("raw")
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    me = require_officer(request.user)
    form = ApiTokenForm(request.POST)
    raw = None
    if form.is_valid():
        try:
            _token, raw = api_token_create(
                actor=request.user,
                user=me.user,
                name=form.cleaned_data["name"],
                expires_in_days=EXPIRY_CHOICES.get(form.cleaned_data["expires"] or "90", 90),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm(initial={"expires": "90"})
    # Rendered, not redirected: the token lives in this one response and nowhere else.
    return _page(request, form, raw=raw)


@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_officer(request.user)
    token = get_api_token_for_user(request.user, pk)
    if api_token_revoke(actor=request.user, token=token):
        messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
    return redirect("institutions:api_token")


@require_POST
def officer_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    """A coordinator revokes a token of a person of their region (404 for anyone else's)."""
    token = get_api_token_for_user(request.user, token_pk, owner_pk=pk)
    if api_token_revoke(actor=request.user, token=token, note="koordinator"):
        messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
    return redirect("institutions:officer_edit", pk)


@sensitive_variables("raw")
def _page(request: HttpRequest, form: ApiTokenForm, *, raw: str | None) -> HttpResponse:
    response = render(
        request,
        "institutions/api_token.html",
        {
            "form": form,
            "raw": raw,
            "tokens": tokens_of(require_officer(request.user).user),
            "max_days": settings.WARTA_API_TOKEN_MAX_DAYS,
        },
    )
    # Neither the browser's cache nor a proxy keeps the page that shows a new token.
    response["Cache-Control"] = "no-store"
    return response
