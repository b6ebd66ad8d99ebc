from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from warta.archive.models import ArchiveRecord
from warta.institutions.access import is_coordinator, officer_of, visible_agencies

# Trigrams: the SQLite index finds substrings of at least this many characters.
INDEXED_SEARCH_MIN = 3
PAGE_SIZE = 30


def records_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ArchiveRecord]:
    """Records the user may read: their agencies'; region-wide ones for the coordinator."""
    officer = officer_of(user)
    if officer is None:
        return ArchiveRecord.objects.none()
    # A list of ids, not a subquery: lets the database walk (region, seq) newest first.
    scope = Q(agency_id__in=list(visible_agencies(user).values_list("id", flat=True)))
    if is_coordinator(user):
        scope |= Q(agency__isnull=True)
    return ArchiveRecord.objects.filter(Q(region_id=officer.region_id) & scope)


def text_matches(q: str) -> Q:
    """Records whose search text contains `q` (any case), through the text index.

    PostgreSQL's pg_trgm GIN index (migration archive 0004) serves `icontains` as it is;
    on SQLite the FTS5 trigram table is asked for the ids. Queries shorter than a
    trigram, which no index can serve, scan.
    """
    if connection.vendor == "sqlite" and len(q) >= INDEXED_SEARCH_MIN:
        # One FTS5 phrase, quoted, so that no character of q is query syntax.
        phrase = '"' + q.replace('"', '""') + '"'
        return Q(
            id__in=RawSQL(
                "SELECT rowid FROM archive_payload_fts WHERE archive_payload_fts MATCH %s",
                [phrase],
            )
        )
    return Q(payload__search_text__icontains=q)


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
    """The user's records, filtered, newest first (for a page, use `records_page`)."""
    qs = _filtered(user, agency_id=agency_id, channel_id=channel_id, start=start, end=end)
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(text_matches(text))
    return qs.select_related("agency", "payload").order_by("-seq")


def _filtered(
    user: AbstractBaseUser | AnonymousUser,
    *,
    agency_id: int | None,
    channel_id: int | None,
    start: datetime | None,
    end: datetime | None,
) -> QuerySet[ArchiveRecord]:
    qs = records_for_user(user)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    if start:
        qs = qs.filter(occurred_at__gte=start)
    if end:
        qs = qs.filter(occurred_at__lt=end)
    return qs


def records_page(
    user: AbstractBaseUser | AnonymousUser,
    *,
    before: int | None = None,
    size: int = PAGE_SIZE,
    agency_id: int | None = None,
    channel_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    text: str = "",
    kind: str = "",
) -> tuple[list[ArchiveRecord], int | None]:
    """One page of `records_search`, newest first, older than the record `before` (a seq).

    Returns the records and the cursor of the next page (None on the last). By keyset, no
    COUNT: counting the matches of a common word over a million records is the slow part.
    On PostgreSQL one query: with the statistics ANALYZE keeps for the trigram index's
    expression, the planner walks newest-first for a common word and asks the index for
    a rare one (measured, bench/search/archive.py). On SQLite the FTS5 index's matches
    are walked newest first and the walk stops at a page.
    """
    by_index = bool(text) and connection.vendor == "sqlite" and len(text) >= INDEXED_SEARCH_MIN
    qs = records_search(
        user,
        agency_id=agency_id,
        channel_id=channel_id,
        start=start,
        end=end,
        kind=kind,
        text="" if by_index else text,
    )
    if before is not None:
        qs = qs.filter(seq__lt=before)
    if by_index:
        qs = _by_ids(_index_newest(qs, text, size + 1))
    rows = list(qs[: size + 1])
    if len(rows) <= size:
        return rows, None
    return rows[:size], rows[size - 1].seq


def _by_ids(ids: list[int]) -> QuerySet[ArchiveRecord]:
    """The records of ids already checked against the scope, newest first.

    By the ids alone: with the scope's conditions beside them, SQLite's planner walks the
    region's (region, seq) index for its order instead of fetching a page of ids.
    """
    return (
        ArchiveRecord.objects.filter(id__in=ids)
        .select_related("agency", "payload")
        .order_by("-seq")
    )


def _index_newest(scope: QuerySet[ArchiveRecord], q: str, limit: int) -> list[int]:
    """SQLite: the ids of the `limit` newest records in `scope` whose text contains q.

    FTS5 yields its matches in rowid order, newest first when asked, and each is checked
    against the scope by primary key, so a page costs about as many lookups as it takes
    to find it: few for a common word, all matches (few) for a rare one. Record ids grow
    with `seq` within a region (records_append numbers both under the region's head
    lock), so rowid order is the page's order.
    """
    with connection.cursor() as cursor:
        cursor.execute(*index_newest_sql(scope, q, limit))
        return [pk for (pk,) in cursor.fetchall()]


def index_newest_sql(scope: QuerySet[ArchiveRecord], q: str, limit: int) -> tuple[str, list[Any]]:
    """The statement `_index_newest` runs (SQLite), for it and for a look at its plan."""
    phrase = '"' + q.replace('"', '""') + '"'
    inside = scope.filter(id=RawSQL("archive_payload_fts.rowid", [])).order_by().values("id")
    sql, params = inside.query.sql_with_params()
    statement = (
        "SELECT rowid FROM archive_payload_fts WHERE archive_payload_fts MATCH %s "  # noqa: S608 (Django-compiled, values as params)
        f"AND EXISTS ({sql}) ORDER BY rowid DESC LIMIT %s"
    )
    return statement, [phrase, *params, limit]


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
