"""Reads of the inbox, information requests and consultations."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.http import QueryDict

from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
    InboxItem,
    InformationRequest,
)
from warta.institutions.access import AnyUser, visible_agencies
from warta.lib import clock
from warta.lib.ids import parse_id

# Annotation filters offered in the inbox: name -> condition.
ANNOTATION_FILTERS: dict[str, Q] = {
    "negative": Q(sentiment=InboxItem.Sentiment.NEGATIVE),
    "positive": Q(sentiment=InboxItem.Sentiment.POSITIVE),
    "abusive": Q(is_abusive=True),
    "hate_speech": Q(is_hate_speech=True),
    "spam": Q(is_spam=True),
    "not_spam": Q(is_spam=False),
    "unannotated": Q(annotated_at__isnull=True),
    **{f"intent:{value}": Q(intent=value) for value in InboxItem.Intent.values},
}


@dataclass
class InboxFilters:
    agency: int | None = None
    channel: int | None = None
    variant: int | None = None
    status: str = ""
    assignee: str = ""  # "" any, "me", "none", or a user id
    annotation: list[str] = field(default_factory=list)
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, data: QueryDict) -> "InboxFilters":
        def as_int(name: str) -> int | None:
            value = data.get(name, "")
            return parse_id(value)

        status = data.get("status", "")
        return cls(
            agency=as_int("agency"),
            channel=as_int("channel"),
            variant=as_int("post"),
            status=status if status in InboxItem.Status.values or status == "open" else "",
            assignee=data.get("assignee", "")[:20],
            annotation=[a for a in data.getlist("annotation") if a in ANNOTATION_FILTERS],
            overdue=data.get("overdue") == "1",
            q=data.get("q", "").strip()[:200],
        )


# Trigrams: the index finds substrings of at least this many characters.
INDEXED_SEARCH_MIN = 3


def text_matches(q: str) -> Q:
    """Items whose text or author handle contains `q` (any case), through the text index.

    PostgreSQL's pg_trgm GIN indexes serve `icontains` as it is; on SQLite the FTS5
    trigram table (migration engagement 0005) is asked for the ids. Shorter queries
    than a trigram, which no index can serve, scan.
    """
    if connection.vendor == "sqlite" and len(q) >= INDEXED_SEARCH_MIN:
        # One FTS5 phrase, quoted, so that no character of q is query syntax.
        phrase = '"' + q.replace('"', '""') + '"'
        return Q(
            id__in=RawSQL(
                "SELECT rowid FROM engagement_inbox_fts WHERE engagement_inbox_fts MATCH %s",
                [phrase],
            )
        )
    return text_contains(q)


def _index_serves(q: str, cap: int) -> bool:
    """Whether the SQLite text index should answer q: at least a trigram long, and with
    at most cap matches (a commoner word is found faster by walking newest-first)."""
    if connection.vendor != "sqlite" or len(q) < INDEXED_SEARCH_MIN:
        return False
    phrase = '"' + q.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT rowid FROM engagement_inbox_fts "
            "WHERE engagement_inbox_fts MATCH %s LIMIT %s)",
            [phrase, cap + 1],
        )
        (matches,) = cursor.fetchone()
    return bool(matches <= cap)


def text_contains(q: str) -> Q:
    """The same condition as `text_matches`, checked row by row (for a few thousand rows)."""
    return Q(text__icontains=q) | Q(author_handle__icontains=q)


def inbox_agency_ids(user: AnyUser, filters: InboxFilters) -> list[int]:
    """The agencies a filtered inbox reads: visible ones, narrowed by agency, channel or post."""
    agencies = visible_agencies(user)
    if filters.agency is not None:
        agencies = agencies.filter(pk=filters.agency)
    if filters.channel is not None:
        agencies = agencies.filter(channels__id=filters.channel)
    if filters.variant is not None:
        agencies = agencies.filter(channels__variants__id=filters.variant)
    return list(agencies.values_list("id", flat=True).distinct())


def inbox_items(
    user: AnyUser, filters: InboxFilters, *, agency_ids: list[int] | None = None
) -> QuerySet[InboxItem]:
    """The user's inbox, filtered, newest first. Scoped to the agencies the user may read."""
    if agency_ids is None:
        agency_ids = inbox_agency_ids(user, filters)
    # A list of ids, not a subquery: lets the database use (agency, ..., received_at) indexes.
    qs = InboxItem.objects.filter(agency_id__in=agency_ids)
    if filters.channel is not None:
        qs = qs.filter(channel_id=filters.channel)
    if filters.variant is not None:
        qs = qs.filter(variant_id=filters.variant)
    if filters.status == "open":
        qs = qs.filter(status__in=[InboxItem.Status.NEW, InboxItem.Status.ASSIGNED])
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.assignee == "me":
        qs = qs.filter(assignee_id=getattr(user, "pk", None))
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif (assignee_id := parse_id(filters.assignee)) is not None:
        qs = qs.filter(assignee_id=assignee_id)
    for name in filters.annotation:
        qs = qs.filter(ANNOTATION_FILTERS[name])
    if filters.overdue:
        qs = qs.filter(first_response_at__isnull=True, response_due_at__lt=clock.now())
    if filters.q:
        qs = qs.filter(text_matches(filters.q))
    return qs.order_by("-received_at", "-id")


def _after(qs: QuerySet[InboxItem], before: str) -> QuerySet[InboxItem]:
    """Rows older than the keyset cursor `before` ("<iso time>_<id>")."""
    if before:
        try:
            stamp, _sep, pk = before.partition("_")
            moment = datetime.fromisoformat(stamp)
            qs = qs.filter(Q(received_at__lt=moment) | Q(received_at=moment, id__lt=int(pk)))
        except ValueError:
            pass
    return qs


_RELATED = ("channel", "agency", "assignee")
# What the inbox list shows of an item and its relations: a full row with its post, its
# channel's credentials and sync state cost more CPU to build than the page's query.
_LIST_COLUMNS = (
    *("agency_id", "channel_id", "assignee_id", "text", "author_handle", "author_name"),
    *("kind", "status", "intent", "sentiment", "is_abusive", "is_hate_speech", "is_spam"),
    *("annotated_at", "received_at", "response_due_at", "first_response_at"),
    *("hidden_on_platform", "deleted_on_platform_at"),
    *("channel__platform", "channel__mode", "agency__short_name"),
    *("assignee__username", "assignee__first_name", "assignee__last_name"),
)
SEARCH_WINDOW = 5000
# SQLite: a word with at most this many matches is served from the text index, exactly.
INDEX_CAP = 5000


def _page_rows(qs: QuerySet[InboxItem], before: str, limit: int) -> list[InboxItem]:
    return list(_after(qs, before).select_related(*_RELATED).only(*_LIST_COLUMNS)[:limit])


def _cut(rows: list[InboxItem], size: int) -> tuple[list[InboxItem], str]:
    if len(rows) <= size:
        return rows, ""
    page = rows[:size]
    return page, f"{page[-1].received_at.isoformat()}_{page[-1].pk}"


def inbox_page(
    qs: QuerySet[InboxItem], *, before: str = "", size: int = 50
) -> tuple[list[InboxItem], str]:
    """One page by keyset (no COUNT over a million rows); returns items and the next cursor."""
    return _cut(_page_rows(qs, before, size + 1), size)


def inbox_list_page(
    user: AnyUser, filters: InboxFilters, *, before: str = "", size: int = 50
) -> tuple[list[InboxItem], str]:
    """One page of the inbox for the web view, fast for a region-wide view too.

    On SQLite, for several agencies, the newest keys are fetched per agency (each an index
    range on (agency, filter, received_at)) and merged: its planner would otherwise collect
    every matching row of the region and sort them all, which is slow on a large inbox.
    A text search there asks the FTS5 index for every match when a word has at most
    INDEX_CAP of them (exact, whatever the inbox's size); a word more common than that
    is found by walking each agency newest-first, where matches come every few rows.
    """
    agency_ids = inbox_agency_ids(user, filters)
    unfiltered = inbox_items(user, replace(filters, q=""), agency_ids=agency_ids)
    text: Q | None = None
    if filters.q and connection.vendor == "sqlite":
        if _index_serves(filters.q, INDEX_CAP):
            return inbox_page(unfiltered.filter(text_matches(filters.q)), before=before, size=size)
        text = text_contains(filters.q)
    elif filters.q:
        # Text search looks through the newest messages first; only when they hold less
        # than a page does it ask the trigram index for everything.
        recent = _after(unfiltered, before).values("id", "text", "author_handle")
        wanted = _matches_in_window(recent[:SEARCH_WINDOW], filters.q, size + 1)
        rows = _page_rows(unfiltered.filter(pk__in=wanted), "", size + 1)
        if len(rows) > size:
            return _cut(rows, size)
    # PostgreSQL walks the newest-first index and filters (measured: one query is faster);
    # SQLite's planner prefers an (agency, ...) index and sorts the whole region instead.
    if len(agency_ids) <= 1 or connection.vendor == "postgresql":
        qs = inbox_items(user, filters, agency_ids=agency_ids)
        if text is not None:
            qs = unfiltered.filter(text)
        return inbox_page(qs, before=before, size=size)
    # Keys first (cheap), then the winning rows with their relations in one query.
    parts: list[QuerySet[InboxItem, tuple[datetime, int]]] = []
    for agency_id in agency_ids:
        qs = inbox_items(user, replace(filters, q=""), agency_ids=[agency_id])
        qs = _after(qs.filter(text) if text is not None else qs, before)
        parts.append(qs.values_list("received_at", "id")[: size + 1])
    wanted = _newest_across(parts, size + 1)
    rows = list(
        InboxItem.objects.filter(pk__in=wanted)
        .select_related(*_RELATED)
        .only(*_LIST_COLUMNS)
        .order_by("-received_at", "-id")
    )
    return _cut(rows, size)


def _matches_in_window(window: QuerySet[InboxItem, Any], q: str, limit: int) -> list[int]:
    """The ids of up to `limit` rows of `window` (newest first) whose text contains q.

    The window is a derived table, computed before any row is checked: asked as one
    filtered query, PostgreSQL's planner fetched every match of a common word through the
    trigram index (40,000 rows at 500,000 items) to keep the few in the window.
    """
    sql, params = window.query.sql_with_params()
    pattern = f"%{connection.ops.prep_for_like_query(q)}%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({sql}) w "  # noqa: S608 (Django-compiled, values as params)
            "WHERE UPPER(w.text) LIKE UPPER(%s) OR UPPER(w.author_handle) LIKE UPPER(%s) "
            "LIMIT %s",
            [*params, pattern, pattern, limit],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _newest_across(parts: list[QuerySet[InboxItem, tuple[datetime, int]]], limit: int) -> list[int]:
    """The ids of the `limit` newest rows over several newest-first walks (one per agency).

    First a few rows of each walk: their merge gives a cutoff (the limit-th newest seen),
    and a walk whose last row is older than the cutoff has given all it has above it. Only
    the walks that stopped above the cutoff are walked again to `limit`. With 20 agencies
    a common word then costs 8 matches per agency instead of 51 (a match is found by
    checking rows one by one, so fewer matches is fewer rows read).
    """
    first = max(FIRST_PER_PART, -(-2 * limit // max(1, len(parts))))
    if first >= limit:
        return [pk for _at, pk in _newest_rows([p[:limit] for p in parts], limit)]
    rows = _newest_rows([p[:first] for p in parts], None, tagged=True)
    merged = sorted(((at, pk) for at, pk, _k in rows), reverse=True)
    cutoff = merged[limit - 1] if len(merged) >= limit else None
    last: dict[int, tuple[Any, int]] = {}
    count: dict[int, int] = {}
    for at, pk, k in rows:
        count[k] = count.get(k, 0) + 1
        last[k] = min(last.get(k, (at, pk)), (at, pk))
    again = [
        k
        for k in range(len(parts))
        if count.get(k, 0) >= first and (cutoff is None or last[k] > cutoff)
    ]
    if not again:
        return [pk for _at, pk in merged[:limit]]
    kept = [(at, pk) for at, pk, k in rows if k not in again]
    more = _newest_rows([parts[k][:limit] for k in again], limit)
    return [pk for _at, pk in sorted(kept + more, reverse=True)[:limit]]


# The rows taken from each walk first, before the walks that need it are taken further.
FIRST_PER_PART = 8


def _newest_rows(
    parts: list[QuerySet[InboxItem, tuple[datetime, int]]],
    limit: int | None,
    *,
    tagged: bool = False,
) -> list[Any]:
    """The (received_at, id) rows of several walks in one statement, newest first.

    SQLite cannot order or limit the members of a compound SELECT, so each walk is wrapped
    as a subquery. `tagged` adds each row's walk index; `limit` None returns every row.
    """
    sqls: list[str] = []
    params: list[Any] = []
    for k, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        tag = f", {k} AS walk" if tagged else ""
        sqls.append(f"SELECT received_at, id{tag} FROM ({sql})")  # noqa: S608 (Django-compiled, values as params)
        params.extend(part_params)
    compound = " UNION ALL ".join(sqls)
    tail = " LIMIT %s" if limit is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({compound}) ORDER BY received_at DESC, id DESC{tail}",  # noqa: S608
            [*params, limit] if limit is not None else params,
        )
        return [tuple(row) for row in cursor.fetchall()]


def thread_of(item: InboxItem) -> list[InboxItem]:
    """The item's thread: its root and every reply under that root, oldest first."""
    root = item
    seen = {item.pk}
    while root.parent_id is not None and root.parent_id not in seen:
        parent = InboxItem.objects.filter(pk=root.parent_id).first()
        if parent is None:
            break
        seen.add(parent.pk)
        root = parent
    members = [root]
    frontier = [root.pk]
    included = {root.pk}
    while frontier and len(members) < 500:
        children = list(InboxItem.objects.filter(parent_id__in=frontier).order_by("received_at"))
        children = [c for c in children if c.pk not in included]
        included.update(c.pk for c in children)
        members.extend(children)
        frontier = [c.pk for c in children]
    return sorted(members, key=lambda i: (i.received_at, i.pk))


def earlier_messages_of_author(item: InboxItem, *, limit: int = 20) -> list[InboxItem]:
    """The same person's earlier messages to this agency (same platform and handle)."""
    if not item.author_handle:
        return []
    return list(
        InboxItem.objects.filter(
            agency_id=item.agency_id,
            author_handle=item.author_handle,
            channel__platform=item.channel.platform,
            received_at__lt=item.received_at,
        )
        .select_related("channel")
        .order_by("-received_at")[:limit]
    )


def info_requests(user: AnyUser) -> QuerySet[InformationRequest]:
    return (
        InformationRequest.objects.filter(agency__in=visible_agencies(user))
        .select_related("agency", "responsible")
        .order_by("-received_at", "-id")
    )


def consultations(user: AnyUser) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(agency__in=visible_agencies(user))
        .select_related("agency")
        .annotate(input_count=Count("inputs", distinct=True))
        .order_by("-opens_at", "-id")
    )


def themes_with_counts(consultation: Consultation) -> QuerySet[ConsultationTheme]:
    """Themes with how many people said something in them, most first."""
    return (
        consultation.themes.annotate(
            originals=Count("inputs", filter=Q(inputs__duplicate_of__isnull=True)),
            people=Count("inputs"),
        )
        .prefetch_related(
            Prefetch(
                "inputs",
                queryset=ConsultationInput.objects.filter(
                    is_representative=True, duplicate_of__isnull=True
                ),
                to_attr="quotes",
            ),
            Prefetch(
                "actions",
                queryset=FollowUpAction.objects.prefetch_related("updates"),
            ),
        )
        .order_by("-people", "id")
    )


def theme_originals(theme_ids: list[int], *, limit: int) -> dict[int, list[ConsultationInput]]:
    """The first `limit` distinct inputs of each theme, for all the themes in one query."""
    rows = (
        ConsultationInput.objects.filter(theme_id__in=theme_ids, duplicate_of__isnull=True)
        .annotate(row=Window(RowNumber(), partition_by=[F("theme_id")], order_by=F("id").asc()))
        .filter(row__lte=limit)
        .order_by("theme_id", "id")
    )
    out: dict[int, list[ConsultationInput]] = {pk: [] for pk in theme_ids}
    for item in rows:
        if item.theme_id is not None:
            out[item.theme_id].append(item)
    return out


def consultation_counts(consultation: Consultation) -> dict[str, int]:
    agg = consultation.inputs.aggregate(
        total=Count("id"),
        unique=Count("id", filter=Q(duplicate_of__isnull=True)),
        ungrouped=Count("id", filter=Q(theme__isnull=True, duplicate_of__isnull=True)),
        from_form=Count("id", filter=Q(source="form")),
    )
    return {k: v or 0 for k, v in agg.items()}


def public_consultations(region_id: int) -> QuerySet[Consultation]:
    """What the public page of a region shows: every consultation that has opened."""
    return (
        Consultation.objects.filter(agency__region_id=region_id, opens_at__lte=clock.now())
        .select_related("agency")
        .annotate(input_total=Count("inputs", distinct=True))
        .order_by("-opens_at", "-id")
    )


def progress_of(theme: ConsultationTheme) -> int | None:
    actions = list(theme.actions.all())
    if not actions:
        return None
    return round(sum(a.progress for a in actions) / len(actions))


def sum_people(themes: QuerySet[ConsultationTheme]) -> int:
    return themes.aggregate(n=Sum("people"))["n"] or 0


def published_themes(consultation: Consultation) -> list[dict[str, Any]]:
    """The public's view of a consultation: only what officers published, most people first."""
    out = []
    for theme in consultation.themes.filter(published__isnull=False).order_by("id"):
        view = public_theme_for_display(dict(theme.published or {}))
        view["published_at"] = theme.published_at
        out.append(view)
    return sorted(out, key=lambda v: -int(v.get("people", 0)))


def public_theme_for_display(view: dict[str, Any]) -> dict[str, Any]:
    """A published (or previewed) theme with its answer named and its dates as dates."""
    answers = dict(ConsultationTheme.Answer.choices)
    view["answer_label"] = answers.get(view.get("answer", ""), "")
    view["actions"] = [
        {
            **action,
            "due": date.fromisoformat(action["due_date"]) if action.get("due_date") else None,
            "updates": [
                {**u, "day": date.fromisoformat(u["date"])} for u in action.get("updates", [])
            ],
        }
        for action in view.get("actions", [])
    ]
    return view
