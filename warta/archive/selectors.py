from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from warta.archive.models import ArchiveRecord
from warta.institutions.access import is_coordinator, officer_of, visible_agencies


def records_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ArchiveRecord]:
    """Records the user may read: their agencies'; region-wide ones for the coordinator."""
    officer = officer_of(user)
    if officer is None:
        return ArchiveRecord.objects.none()
    scope = Q(agency__in=visible_agencies(user))
    if is_coordinator(user):
        scope |= Q(agency__isnull=True)
    return ArchiveRecord.objects.filter(Q(region_id=officer.region_id) & scope)


def records_search(
    user: AbstractBaseUser | AnonymousUser,
    *,
    agency_id: int | None = None,
    channel_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    text: str = "",
    kind: str = "",
) -> QuerySet[ArchiveRecord]:
    qs = records_for_user(user).select_related("agency", "payload")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    if start:
        qs = qs.filter(occurred_at__gte=start)
    if end:
        qs = qs.filter(occurred_at__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(payload__search_text__icontains=text)
    return qs.order_by("-seq")


def subject_history(
    user: AbstractBaseUser | AnonymousUser, subject: str, *, as_of: datetime | None = None
) -> tuple[list[ArchiveRecord], list[ArchiveRecord]]:
    """A subject's records and its conversation, as they stood at `as_of` (default: now)."""
    visible = records_for_user(user).select_related("payload")
    own = visible.filter(subject=subject)
    if not own.exists():
        raise Http404
    conversation = visible.filter(thread=subject).exclude(subject=subject)
    if as_of is not None:
        own = own.filter(recorded_at__lte=as_of)
        conversation = conversation.filter(recorded_at__lte=as_of)
    return list(own.order_by("seq")), _latest_per_subject(conversation)


def _latest_per_subject(records: QuerySet[ArchiveRecord]) -> list[ArchiveRecord]:
    """Each comment as last recorded (with its edits, hiding, deletion), oldest first."""
    latest: dict[str, ArchiveRecord] = {}
    for record in records.order_by("seq"):
        latest[record.subject] = record
    return sorted(latest.values(), key=lambda r: r.occurred_at)
