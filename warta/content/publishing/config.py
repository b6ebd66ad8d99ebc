"""Publishing's constants and knobs in one place: look-ahead, batches, backoff, retries.

The rest of the package reads them from here; the settings behind the functions are in
warta/settings.py (WARTA_PUBLISH_*, WARTA_TASK_STALE_AFTER_SECONDS).
"""

import random
from datetime import timedelta

from django.conf import settings

# Hand variants due this far ahead to tasks that wait (run_after) until their time, so
# a scheduler tick of tens of seconds never delays a post.
LOOKAHEAD = timedelta(seconds=60)
# The queue of the publish tasks, the hand-out and the stale recovery. Every worker takes
# it unless told otherwise (warta's db_worker defaults to every queue); a pool kept for
# publishing is started with `db_worker --queue-name publish`, so that a burst at the
# round hour never waits behind a monthly report's PDF or an ingest (docs/deployment.md).
PUBLISH_QUEUE = "publish"
# A transient error is retried after 1-2 s, then 2-4 s, doubling (the truncated exponential
# back-off Google's APIs document); with the default 10 attempts a post rides out an
# outage of at least 8.5 minutes (the retries' shortest delays add up to 511 s) before
# it fails, and a blip in a burst costs seconds, not the 2.5-5 s and 5-10 s of a base of 5.
BACKOFF_BASE = 2.0
# Results that came in are recorded together within this many seconds (or a full window).
RECORD_EVERY = 0.1
BACKOFF_CAP = 15 * 60.0


def batch_size() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_BATCH", 25))


def concurrency() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_CONCURRENCY", 8))


def max_attempts() -> int:
    return int(getattr(settings, "WARTA_PUBLISH_MAX_ATTEMPTS", 10))


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WARTA_TASK_STALE_AFTER_SECONDS)


def backoff_seconds(
    attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Capped exponential backoff with full jitter, never shorter than the platform asked."""
    rng = rng or random.Random()
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = max(delay, float(retry_after))
    return min(delay, BACKOFF_CAP) if retry_after is None else delay
