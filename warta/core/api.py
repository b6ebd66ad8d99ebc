"""Shared pieces of the REST API."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from warta.core import people


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn a service's ValidationError into a 400 with field messages, never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class IsOfficer(permissions.BasePermission):
    """Signed in and holding a role in a region."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return people.standing(request.user) is not None


class ReadOnlyUnlessWriter(IsOfficer):
    """Heads and viewers read; officers and coordinators may also write."""

    def has_permission(self, request: Request, view: Any) -> bool:
        standing = people.standing(request.user)
        if standing is None:
            return False
        return request.method in permissions.SAFE_METHODS or standing.can_write


class Pagination(LimitOffsetPagination):
    """limit/offset paging with bounds: an absurd number is a small page, not a database error."""

    max_limit = 500
    max_offset = 10**12  # far beyond any table; past 2**63 databases refuse the number

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), self.max_offset)
