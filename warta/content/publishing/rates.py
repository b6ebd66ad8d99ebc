"""Rate budgets: a post takes its share of the platform's limits before it is sent, or waits."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from warta.channels import budgets
from warta.channels.models import Channel
from warta.connectors.base import Connector, RemotePost
from warta.connectors.ratelimits import ACCOUNT, Budget, app_key
from warta.content.publishing.jobs import Job, Requeue, S, _Unverifiable
from warta.content.publishing.messages import BUDGET_SPENT, BUDGET_SPENT_UNTIL
from warta.content.services import _transition
from warta.lib import clock
from warta.lib.platforms import ConnectionMode


def _budget_keys(channel: Channel, connector: Connector) -> budgets.Keys:
    # Practice channels draw on the sandbox's budgets, never on the real app's.
    sandbox = channel.mode == ConnectionMode.SANDBOX
    return budgets.Keys(
        platform=channel.platform,
        account=(channel.external_id or f"channel-{channel.pk}")[:200],
        app="sandbox" if sandbox else app_key(connector.account.credentials),
    )


def _within_budget(
    job: Job,
    connectors: dict[int, Connector | Exception],
    counts: dict[str, int],
    requeue: Requeue,
) -> bool:
    """Take the post's share of the platform's rate-limit budgets, or defer it to their reset.

    A spent budget means the platform would refuse (429 and the like): the post waits for
    the reset without a call, instead of knocking and counting a failed attempt.
    """
    connector = connectors[job.variant.channel_id]
    if isinstance(connector, Exception):
        return True
    keys = _budget_keys(job.variant.channel, connector)
    spent = budgets.budget_take(keys=keys, first_comment=bool(job.variant.first_comment))
    if spent is None:
        job.budget_taken = True
        return True
    with transaction.atomic():
        state = _defer(job, spent, requeue)
    counts[state] = counts.get(state, 0) + 1
    return False


def _within_budgets(
    jobs: list[Job],
    connectors: dict[int, Connector | Exception],
    counts: dict[str, int],
    requeue: Requeue,
) -> list[Job]:
    """The jobs that may go out now, each with its share of the platform's budgets taken.

    A claim's posts take their shares together, one UPDATE per budget row (the app's row
    is every channel's: taken per post, the writers queue on it in a burst); when a row
    has not room for all of them, one at a time, so that those that fit go and the rest
    wait for the reset (`_within_budget`).
    """
    sendable: list[Job] = []
    posts: list[tuple[budgets.Keys, bool]] = []
    for job in jobs:
        connector = connectors[job.variant.channel_id]
        if not isinstance(connector, Exception):  # recorded as failed, never sent
            sendable.append(job)
            posts.append(
                (_budget_keys(job.variant.channel, connector), bool(job.variant.first_comment))
            )
    if len(sendable) > 1 and budgets.budget_take_all(posts=posts):
        for job in sendable:
            job.budget_taken = True
        return jobs
    return [job for job in jobs if _within_budget(job, connectors, counts, requeue)]


def _settle_budget(job: Job, connector: Connector | Exception) -> None:
    """Store what the platform said of its limits; give back what an unmade post took."""
    if isinstance(connector, Exception):
        return
    keys = _budget_keys(job.variant.channel, connector)
    observations = connector.rate_observations.drain()
    if observations:
        budgets.budget_observe(keys=keys, observations=observations)
    if job.budget_taken and isinstance(job.outcome, (RemotePost, _Unverifiable)):
        # Found after a crash, or left to a person: no post was sent this time.
        budgets.budget_refund(keys=keys, first_comment=bool(job.variant.first_comment))


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _window_words(budget: Budget) -> str:
    """ "24 jam", "15 menit", "hari": the window as the message names it (Indonesian text)."""
    if budget.reset_zone:
        return "hari"
    minutes = int(budget.window.total_seconds() // 60)
    return f"{minutes // 60} jam" if minutes >= 60 else f"{minutes} menit"


def _defer(job: Job, spent: budgets.Spent, requeue: Requeue) -> str:
    """Back to scheduled until the spent budget resets; not an attempt, nothing was sent."""
    variant = job.variant
    when = spent.resets_at + timedelta(seconds=1)
    zone = ZoneInfo(variant.post.agency.region.timezone)
    local, today = timezone.localtime(when, zone), timezone.localtime(clock.now(), zone)
    values = {
        "platform": variant.channel.get_platform_display(),
        "limit": spent.limit,
        "window": _window_words(spent.budget),
        "scope": "akun" if spent.budget.scope == ACCOUNT else "aplikasi warta",
        "time": local.strftime("%H:%M %Z"),
    }
    if local.date() == today.date():
        message = BUDGET_SPENT(**values)
    else:
        day = f"{_DAYS[local.weekday()]}, {local.day} {_MONTHS[local.month - 1]} {local.year}"
        message = BUDGET_SPENT_UNTIL(**values, day=day)
    if _transition(
        variant,
        old=S.PUBLISHING,
        new=S.SCHEDULED,
        actor=None,
        action="deferred",
        next_attempt_at=when,
        queued_at=when if requeue.can_defer() else None,
        claimed_at=None,
        last_error=message,
    ):
        ids = [variant.pk]
        transaction.on_commit(lambda: requeue.enqueue(ids, when))
    return "deferred"
