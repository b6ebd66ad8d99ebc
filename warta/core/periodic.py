"""Periodic jobs: apps declare them here; the one scheduler (`warta run-scheduler`) enqueues them.

A periodic job is a django.tasks Task taking no arguments. The scheduler enqueues it every
`seconds`; the workers run it. Declare jobs in an app's `tasks.py` with `@every(seconds)`
stacked on `@task`, and make sure the app's AppConfig.ready imports that module.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.tasks import Task


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    seconds: int
    task: Task


_JOBS: dict[str, PeriodicJob] = {}


def every(seconds: int) -> Callable[[Task], Task]:
    def decorator(task: Task) -> Task:
        _JOBS[task.module_path] = PeriodicJob(name=task.module_path, seconds=seconds, task=task)
        return task

    return decorator


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)
