"""Who may see and change what: the agency boundary, in one place.

Every view, API endpoint and export scopes its queries through these functions.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from warta.core.models import ApiToken
from warta.institutions.models import Agency, LeadershipTerm, Officer, Region

AnyUser = AbstractBaseUser | AnonymousUser


def officer_of(user: AnyUser) -> Officer | None:
    if not user.is_authenticated:
        return None
    related = Officer._meta.get_field("user").remote_field  # the reverse accessor user.officer
    if not related.is_cached(user):
        # With the region in the same query: every page reads it (zone, menu, access).
        officer = Officer.objects.select_related("region").filter(user_id=user.pk).first()
        related.set_cached_value(user, officer)
    try:
        return user.officer  # type: ignore[union-attr,attr-defined]
    except Officer.DoesNotExist:
        return None


def require_officer(user: AnyUser) -> Officer:
    officer = officer_of(user)
    if officer is None:
        raise PermissionDenied
    return officer


def visible_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies whose data the user may read."""
    officer = officer_of(user)
    if officer is None:
        return Agency.objects.none()
    if officer.is_coordinator:
        return Agency.objects.filter(region_id=officer.region_id)
    return officer.agencies.filter(region_id=officer.region_id)


def editable_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies whose content, inbox and channels the user may change."""
    officer = officer_of(user)
    if officer is None or not officer.can_write:
        return Agency.objects.none()
    return visible_agencies(user)


def can_edit_agency(user: AnyUser, agency_id: int) -> bool:
    return editable_agencies(user).filter(pk=agency_id).exists()


def is_coordinator(user: AnyUser) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.is_coordinator


def user_region(user: AnyUser) -> Region | None:
    officer = officer_of(user)
    return officer.region if officer else None


@dataclass(frozen=True)
class Access:
    agency: Agency
    can_edit: bool


def get_agency_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Access:
    """The agency if the user may read it (404 otherwise); 403 when edit is asked, not allowed."""
    agency = visible_agencies(user).filter(pk=pk).first()
    if agency is None:
        raise Http404
    can_edit = can_edit_agency(user, agency.pk)
    if edit and not can_edit:
        raise PermissionDenied
    return Access(agency=agency, can_edit=can_edit)


def visible_officers(user: AnyUser) -> QuerySet[Officer]:
    """People the user may see: the whole region for a coordinator, else their agencies' people."""
    officer = officer_of(user)
    if officer is None:
        return Officer.objects.none()
    qs = Officer.objects.filter(region_id=officer.region_id)
    if not officer.is_coordinator:
        qs = qs.filter(agencies__in=visible_agencies(user)).distinct()
    return qs


def get_officer_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Officer:
    """A person's profile if visible (404 otherwise); only coordinators manage people (403)."""
    target = visible_officers(user).filter(pk=pk).select_related("user", "region").first()
    if target is None:
        raise Http404
    if edit and not is_coordinator(user):
        raise PermissionDenied
    return target


def get_term_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> LeadershipTerm:
    """A leadership term if its agency is visible; only coordinators change terms."""
    term = (
        LeadershipTerm.objects.filter(pk=pk, agency__in=visible_agencies(user))
        .select_related("agency")
        .first()
    )
    if term is None:
        raise Http404
    if edit and not is_coordinator(user):
        raise PermissionDenied
    return term


def get_api_token_for_user(user: AnyUser, pk: int, *, owner_pk: int | None = None) -> ApiToken:
    """One's own token, or (owner_pk: an Officer pk) a person's token that a coordinator
    of their region may revoke; 404 for anything else, another region's people included."""
    if owner_pk is None:
        me = officer_of(user)
        if me is None:
            raise Http404
        owner = me.user
    else:
        owner = get_officer_for_user(user, owner_pk, edit=True).user
    token = ApiToken.objects.filter(pk=pk, user=owner).select_related("user").first()
    if token is None:
        raise Http404
    return token
