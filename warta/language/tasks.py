"""The sentiment second pass as a background task (django.tasks, any backend).

The fast path answers at ingest. A caller that stores the answers asks for the second
pass with `schedule_rescore("app_label.Model", texts)` for the texts `api.analyze`
marked `sentiment_uncertain`; after the current transaction commits, a task re-scores
them with the encoder (`warta.language.encoder`) and writes the new sentiment into
every row of that model holding exactly that text (a text's sentiment depends on the
text alone). Without the `encoder` extra nothing is marked, so nothing is scheduled.

With a task backend that runs tasks inline (`ImmediateBackend`: tests, benchmarks) the
second pass would run on the ingest path and cost it 15-50 ms a text, so it is not
scheduled there unless the setting `WARTA_SENTIMENT_SECOND_PASS_INLINE` is true.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend

from warta.language import api
from warta.lib import clock

log = logging.getLogger(__name__)

# Texts per task: a few seconds of CPU for the worker, then the next task.
BATCH = 200
# Where the backend can defer, the task waits this long so that the rows of the
# ingest that asked for it are surely stored (and several ingests share a worker turn).
DELAY = timedelta(seconds=30)


@task
def rescore_sentiment(
    model: str, texts: list[str], text_field: str = "text", sentiment_field: str = "sentiment"
) -> int:
    """Re-score the texts with the second pass; returns how many rows changed."""
    unique = list(dict.fromkeys(texts))
    results = api.rescore_sentiment(unique) if unique else []
    if not results:
        return 0
    target = apps.get_model(model)
    by_label: dict[str, list[str]] = {}
    for text, analysis in zip(unique, results, strict=True):
        by_label.setdefault(analysis.sentiment, []).append(text)
    extra = {}
    if any(f.name == "updated_at" for f in target._meta.get_fields()):
        extra["updated_at"] = clock.now()  # so that syncing clients see the change
    changed = 0
    for label, group in by_label.items():
        rows = target._default_manager.filter(**{f"{text_field}__in": group}).exclude(
            **{sentiment_field: label}
        )
        changed += rows.update(**{sentiment_field: label}, **extra)
    return changed


def schedule_rescore(model: str, texts: Sequence[str]) -> int:
    """Ask for the second pass on these texts once the current transaction commits.

    Returns how many tasks were scheduled (0 where the second pass cannot run).
    """
    unique = list(dict.fromkeys(texts))
    if not unique or not api.second_pass_available():
        return 0
    inline = isinstance(rescore_sentiment.get_backend(), ImmediateBackend)
    if inline and not getattr(settings, "WARTA_SENTIMENT_SECOND_PASS_INLINE", False):
        return 0
    batches = [unique[i : i + BATCH] for i in range(0, len(unique), BATCH)]

    def enqueue() -> None:
        for batch in batches:
            job = rescore_sentiment
            if job.get_backend().supports_defer:
                job = job.using(run_after=clock.now() + DELAY)
            try:
                job.enqueue(model, batch)
            except Exception:  # a lost second pass leaves the fast answer in place
                log.exception("could not schedule the sentiment second pass")

    transaction.on_commit(enqueue)
    return len(batches)
