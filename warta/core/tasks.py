from django.tasks import task

from warta.core import scheduling
from warta.core.periodic import every


@every(60)
@task
def requeue_stale_tasks() -> int:
    """Give tasks left RUNNING by a dead worker back to the queue."""
    return scheduling.tasks_requeue_stale()
