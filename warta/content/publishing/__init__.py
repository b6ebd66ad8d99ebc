"""The workers' side of publishing: hand due variants to tasks, claim, publish, record.

Exactly once: a worker owns a variant only after moving it scheduled → publishing in one
conditional update. A variant found in publishing whose claim is older than the stale
limit belonged to a worker that died mid-request: it is never sent again blindly; the
platform is asked for the post by its idempotency key first, and when the connector
cannot tell, a person is asked to verify ("needs attention"). Nothing is dropped: every
variant ends published, failed (with the reason), needs attention, or waiting.

This package is publishing's public face: import from `warta.content.publishing`. By
feature, each module importing only those below it:

- handout.py  handing out work: due variants and dead workers' claims to publish tasks
- window.py   the publish task and its rolling window: claim, send several at a time, record
- claims.py   claiming (fresh, more in a burst, a dead worker's), renewing claims
- files.py    the media a post sends, cut to the channel's crop
- sending.py  the platform conversation: connectors and the per-platform HTTP clients
- recheck.py  content changed since its checks is checked again before it goes
- rates.py    the platforms' rate budgets: take, settle, defer to their reset
- outcomes.py recording results: published in bulk, failed, retried, held, to a person
- messages.py the reasons stored on variants; jobs.py a claimed post (Job) and Requeue
- config.py   the constants and knobs (LOOKAHEAD, BACKOFF_BASE, batch sizes, attempts)

The names below are re-exported; a test that patches one patches it in the module that
uses it (window.take_more_for), since a re-export is a second reference.
"""

from warta.content.publishing.claims import claim_batch
from warta.content.publishing.config import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    LOOKAHEAD,
    RECORD_EVERY,
    backoff_seconds,
    batch_size,
    concurrency,
    max_attempts,
    stale_after,
)
from warta.content.publishing.handout import due_variants_enqueue, stale_publishing_enqueue
from warta.content.publishing.jobs import Enqueue, Job, S
from warta.content.publishing.messages import (
    BUDGET_SPENT,
    BUDGET_SPENT_UNTIL,
    CHANGED_AND_BLOCKED,
    GAVE_UP,
    GAVE_UP_MAYBE_PUBLISHED,
    RECONNECT,
    RETRYING,
    UNEXPECTED,
)
from warta.content.publishing.window import publish_batch, publish_variants, take_more_for

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BUDGET_SPENT",
    "BUDGET_SPENT_UNTIL",
    "CHANGED_AND_BLOCKED",
    "GAVE_UP",
    "GAVE_UP_MAYBE_PUBLISHED",
    "LOOKAHEAD",
    "RECONNECT",
    "RECORD_EVERY",
    "RETRYING",
    "UNEXPECTED",
    "Enqueue",
    "Job",
    "S",
    "backoff_seconds",
    "batch_size",
    "claim_batch",
    "concurrency",
    "due_variants_enqueue",
    "max_attempts",
    "publish_batch",
    "publish_variants",
    "stale_after",
    "stale_publishing_enqueue",
    "take_more_for",
]
