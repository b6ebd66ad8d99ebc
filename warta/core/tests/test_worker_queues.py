"""Which queues a worker takes: every queue by default, or a pool kept for publishing."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from warta.content.publishing.config import PUBLISH_QUEUE
from warta.content.publishing.window import _enqueue_batch
from warta.core.probe_tasks import probe

# Transactional: the worker manages its connection as in production (autocommit), which
# inside a test's atomic block it cannot (on PostgreSQL it would wait for the database).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(db_tasks: None) -> dict[str, str]:
    """One probe task on the default queue and one on the publishing queue."""
    return {
        "default": probe.enqueue().id,
        PUBLISH_QUEUE: probe.using(queue_name=PUBLISH_QUEUE).enqueue().id,
    }


def _work(*args: str) -> dict[str, str]:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", *args, verbosity=0)
    return {row.queue_name: row.status for row in DBTaskResult.objects.all()}


def test_a_worker_started_the_usual_way_takes_every_queue(queued) -> None:  # type: ignore[no-untyped-def]
    assert _work() == {"default": "SUCCESSFUL", PUBLISH_QUEUE: "SUCCESSFUL"}


def test_a_publishing_pool_takes_only_publishing(queued) -> None:  # type: ignore[no-untyped-def]
    assert _work("--queue-name", PUBLISH_QUEUE) == {"default": "READY", PUBLISH_QUEUE: "SUCCESSFUL"}


def test_the_rest_of_the_work_leaves_publishing_to_its_pool(queued) -> None:  # type: ignore[no-untyped-def]
    assert _work("--queue-name", "*", "--exclude-queues", PUBLISH_QUEUE) == {
        "default": "SUCCESSFUL",
        PUBLISH_QUEUE: "READY",
    }


def test_posts_handed_out_go_to_the_publishing_queue(db_tasks: None) -> None:
    _enqueue_batch([1, 2], None)
    row = DBTaskResult.objects.get()
    assert (row.queue_name, row.args_kwargs["kwargs"]) == (PUBLISH_QUEUE, {"variant_ids": [1, 2]})


def test_the_scheduler_puts_the_hand_out_on_the_publishing_queue(db_tasks: None) -> None:
    """A publishing pool keeps posting on its own: nothing it needs waits on another queue."""
    call_command("run_scheduler", "--once")
    queues = dict(DBTaskResult.objects.values_list("task_path", "queue_name"))
    assert queues["warta.content.tasks.enqueue_due_variants"] == PUBLISH_QUEUE
    assert queues["warta.content.tasks.recover_stale_publishing"] == PUBLISH_QUEUE
    assert queues["warta.content.tasks.send_daily_digests"] == "default"
