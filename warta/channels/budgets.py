"""Rate-limit budgets in the database, drawn on by every worker before it calls a platform.

One row per platform, account or app, and limit (`RateBudget`). A post takes its cost
from every budget of its platform in one conditional UPDATE each (`remaining >= cost`),
so two workers never both take the last unit, on SQLite or PostgreSQL alike; if one
budget is spent, what was taken from the others is given back and the caller learns
when the spent one resets. Answers correct the rows: a platform's figure only ever
lowers what is left (in-flight posts of other workers are in our count, not yet in the
platform's), and its reset time replaces ours (its window, not ours from first use).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Least

from warta.channels.models import RateBudget
from warta.connectors.ratelimits import (
    ACCOUNT,
    USAGE,
    USAGE_CEILING,
    Budget,
    RateObservation,
    budgets_for,
)
from warta.lib import clock


@dataclass(frozen=True)
class Spent:
    """The budget that stopped a post, and when it has room again."""

    budget: Budget
    limit: int
    resets_at: datetime


@dataclass(frozen=True)
class Keys:
    """Who a platform counts a channel's calls against: its account and its app."""

    platform: str
    account: str
    app: str

    def of(self, scope: str) -> str:
        return self.account if scope == ACCOUNT else self.app


def platform_budgets(platform: str) -> list[Budget]:
    return budgets_for(platform, getattr(settings, "WARTA_RATE_BUDGETS", {}))


def next_reset(budget: Budget, now: datetime) -> datetime:
    """When a window opened now ends: after `window`, or at the next local midnight."""
    if not budget.reset_zone:
        return now + budget.window
    zone = ZoneInfo(budget.reset_zone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=zone).astimezone(UTC)


def _rows(keys: Keys, budgets: list[Budget], now: datetime) -> dict[str, RateBudget]:
    """The budgets' rows, created at their documented figures when missing."""
    wanted = Q()
    for b in budgets:
        wanted |= Q(scope=b.scope, key=keys.of(b.scope), name=b.name)
    found = {
        f"{r.name}:{r.scope}": r for r in RateBudget.objects.filter(wanted, platform=keys.platform)
    }
    missing = [b for b in budgets if b.key not in found]
    if missing:
        RateBudget.objects.bulk_create(
            [
                RateBudget(
                    platform=keys.platform,
                    scope=b.scope,
                    key=keys.of(b.scope),
                    name=b.name,
                    limit=b.limit,
                    remaining=b.limit,
                    resets_at=next_reset(b, now),
                )
                for b in missing
            ],
            ignore_conflicts=True,  # another worker created it meanwhile: theirs stands
        )
        found = {
            f"{r.name}:{r.scope}": r
            for r in RateBudget.objects.filter(wanted, platform=keys.platform)
        }
    return found


def budget_take(
    *, keys: Keys, first_comment: bool = False, now: datetime | None = None
) -> Spent | None:
    """Take one post's cost from each of the platform's budgets; None when all had room."""
    now = now or clock.now()
    budgets = platform_budgets(keys.platform)
    if not budgets:
        return None
    rows = _rows(keys, budgets, now)
    taken: list[tuple[int, int]] = []
    for budget in budgets:
        row = rows[budget.key]
        cost = _post_cost(budget, row, first_comment)
        if _take_row(budget, row, cost, now):
            taken.append((row.pk, cost))
            continue
        for pk, given in taken:
            budget_give_back(pk=pk, cost=given)
        row.refresh_from_db()
        return Spent(budget=budget, limit=row.limit, resets_at=max(row.resets_at, now))
    return None


def budget_take_all(*, posts: Sequence[tuple[Keys, bool]], now: datetime | None = None) -> bool:
    """Take the cost of several posts (their keys, whether each has a first comment) at once.

    One conditional UPDATE per budget row for all of them: in a burst every post of a
    platform draws on its app's one row, which a take per post turns into a queue of
    writers. True when every row had room for all; else nothing is taken (what was, is
    given back) and the caller takes them one at a time with `budget_take`, which stops
    at the post that does not fit. A usage budget (a share in percent) must stay above its
    ceiling after all of them, a stricter test than one at a time: near the ceiling the
    one-at-a-time path decides.
    """
    now = now or clock.now()
    need: dict[int, tuple[Budget, RateBudget, int]] = {}  # row pk -> its total cost
    rows_of: dict[Keys, dict[str, RateBudget]] = {}
    for keys, first_comment in posts:
        budgets = platform_budgets(keys.platform)
        if keys not in rows_of:
            rows_of[keys] = _rows(keys, budgets, now) if budgets else {}
        for budget in budgets:
            row = rows_of[keys][budget.key]
            total = need[row.pk][2] if row.pk in need else 0
            need[row.pk] = (budget, row, total + _post_cost(budget, row, first_comment))
    taken: list[tuple[int, int]] = []
    for pk, (budget, row, total) in need.items():
        if _take_row(budget, row, total, now, usage_margin=total):
            taken.append((pk, total))
            continue
        for given_pk, given in taken:
            budget_give_back(pk=given_pk, cost=given)
        return False
    return True


def _post_cost(budget: Budget, row: RateBudget, first_comment: bool) -> int:
    return min(row.limit, budget.cost + (budget.first_comment_cost if first_comment else 0))


def _take_row(
    budget: Budget, row: RateBudget, cost: int, now: datetime, *, usage_margin: int = 0
) -> bool:
    """Take `cost` from one budget row in one conditional UPDATE; False when it has not room.

    A usage budget (a share in percent) has room while above its ceiling, by
    `usage_margin` more when several posts take from it at once.
    """
    if row.resets_at <= now:
        # The window is over: one worker starts the next (the filter on the reset it
        # saw lets only one win), at the full figure (the platform's, once it told).
        RateBudget.objects.filter(pk=row.pk, resets_at=row.resets_at).update(
            remaining=F("limit"), resets_at=next_reset(budget, now)
        )
    room = (
        Q(remaining__gt=100 - USAGE_CEILING + usage_margin)
        if budget.name == USAGE
        else Q(remaining__gte=cost)
    )
    return bool(
        RateBudget.objects.filter(room, pk=row.pk, resets_at__gt=now).update(
            remaining=F("remaining") - cost
        )
    )


def budget_give_back(*, pk: int, cost: int) -> None:
    """Return units taken for a call that was never made."""
    if cost:
        RateBudget.objects.filter(pk=pk).update(remaining=Least(F("remaining") + cost, F("limit")))


def budget_refund(*, keys: Keys, first_comment: bool = False) -> None:
    """Give back one post's cost: it turned out not to need the platform (found after a crash)."""
    for budget in platform_budgets(keys.platform):
        cost = budget.cost + (budget.first_comment_cost if first_comment else 0)
        row = RateBudget.objects.filter(
            platform=keys.platform, scope=budget.scope, key=keys.of(budget.scope), name=budget.name
        ).first()
        if row is not None:
            budget_give_back(pk=row.pk, cost=cost)


def budget_observe(
    *, keys: Keys, observations: list[RateObservation], now: datetime | None = None
) -> int:
    """Correct the budgets by what the platform's answers said; returns rows corrected."""
    now = now or clock.now()
    known = {b.key: b for b in platform_budgets(keys.platform)}
    corrected = 0
    for obs in observations:
        budget = known.get(f"{obs.name}:{obs.scope}")
        if budget is None:
            continue
        rows = _rows(keys, [budget], now)
        row = rows[budget.key]
        fields: dict[str, object] = {
            "remaining": Least(F("remaining"), obs.remaining),
            "source": RateBudget.Source.HEADERS,
        }
        if obs.limit:
            fields["limit"] = obs.limit
        if obs.resets_at is not None:
            # The platform knows when its window ends (ours only started at first use).
            fields["resets_at"] = obs.resets_at
        corrected += RateBudget.objects.filter(pk=row.pk).update(**fields)
    return corrected
