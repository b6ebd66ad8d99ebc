from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from warta.core.tasks import requeue_stale_tasks

pytestmark = pytest.mark.django_db


def test_health_is_public_and_reports_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_health_fails_when_the_queue_has_waited_too_long(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    result = requeue_stale_tasks.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now() - timedelta(hours=1))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue_wait_seconds"] >= 3600
