"""django-tasks-db's worker, made to survive a lost database connection.

Same command name and options as django_tasks_db's `db_worker` (warta.core is listed
before django_tasks_db in INSTALLED_APPS, so this one is found first). The upstream
worker exits on the first lost connection; here:

- between tasks, the worker closes the broken connection, waits for the database with
  a capped back-off and goes on polling;
- a task that finished while the connection was gone gets its outcome recorded on a
  new connection (otherwise the reaper would run it a second time);
- a task cut off by the lost connection is put back in the queue once the database is
  back, so that a worker runs it again (tasks are written to be safe to run twice);
- if even that cannot be written, the task stays RUNNING and the stale-task reaper
  (warta.core.scheduling.tasks_requeue_stale) re-queues it: never lost.

Unlike upstream, whose worker takes only the "default" queue unless told, this one takes
every queue unless told (`--queue-name`): publishing has a queue of its own.
"""

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from warta.core.reconnect import Outage, connection_lost


class ReconnectingWorker(upstream.Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Stopping (SIGTERM) while waiting leaves a task RUNNING: the reaper re-queues it.
        self.outage = Outage(who=f"worker {self.worker_id}", stopping=lambda: not self.running)

    def run(self) -> None:
        while True:
            try:
                return super().run()
            except DatabaseError as exc:
                if not connection_lost(exc):
                    raise
                if not self.outage.wait_for_database(exc):
                    return None
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        record_success = db_task_result.set_successful
        record_failure = db_task_result.set_failed

        def set_successful(return_value: Any) -> None:
            self._record(lambda: record_success(return_value))

        def set_failed(exc: BaseException) -> None:
            if connection_lost(exc):
                # The task's own work was cut off mid-way (its open transaction rolled
                # back): queue it again rather than calling it failed.
                self._record(lambda: _requeue(db_task_result))
            else:
                self._record(lambda: record_failure(exc))

        db_task_result.set_successful = set_successful  # type: ignore[method-assign]
        db_task_result.set_failed = set_failed  # type: ignore[method-assign]
        super().run_task(db_task_result)

    def _record(self, write: Callable[[], None]) -> None:
        try:
            write()
        except DatabaseError as exc:
            if not connection_lost(exc):
                raise
            if not self.outage.wait_for_database(exc):
                raise
            write()


def _requeue(db_task_result: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=db_task_result.pk, status="RUNNING").update(
        status="READY", started_at=None
    )
    db_task_result.refresh_from_db()


class Command(upstream.Command):
    help = "Run a task worker that reconnects when the database connection is lost"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # Every queue unless told: publishing has its own queue ("publish"), and a worker
        # started the usual way must take it. A pool kept for publishing runs with
        # `--queue-name publish`; the rest with `--queue-name '*' --exclude-queues publish`.
        parser.set_defaults(queue_name="*")

    def handle(self, *args: Any, **options: Any) -> None:
        # The upstream command builds its Worker by name from its module.
        original = upstream.Worker
        upstream.Worker = ReconnectingWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
