"""The REST API's token authentication (hashed tokens) and its OpenAPI description."""

from typing import Any

from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from warta.core.apitokens import ApiToken, TokenRefused, api_token_authenticate

# `Token` as DRF's authtoken spelled it (existing clients and docs), `Bearer` as most
# HTTP libraries spell it.
KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <token>` (or `Bearer <token>`), looked up by its SHA-256."""

    keyword = "Token"

    @sensitive_variables("parts", "raw")
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: the session (or nothing) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk: Token <token>.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Token tidak sah atau sudah dicabut.")) from exc
        try:
            found = api_token_authenticate(raw)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return (found.user, found.token)

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) with `WWW-Authenticate: Token`.
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "warta.core.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A personal API token, made on the *Token API* page (shown once). Send it "
                "as `Authorization: Token <token>`; `Authorization: Bearer <token>` works "
                "too. A revoked or expired token, or one of a deactivated person, gets 401."
            ),
        }
