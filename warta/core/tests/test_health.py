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


def test_health_fails_when_the_queue_has_waited_too_long(db_tasks: None) -> None:
    result = requeue_stale_tasks.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now() - timedelta(hours=1))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue_wait_seconds"] >= 3600


def test_health_fails_when_a_folder_warta_writes_to_is_nearly_full(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from collections import namedtuple

    from warta.core import health

    usage = namedtuple("usage", "total used free")
    media = str(settings.MEDIA_ROOT)
    real = shutil.disk_usage

    def disk_usage(path):  # type: ignore[no-untyped-def]
        # Only the media folder's disk is short of space: 200 MB left of a 1 GB minimum.
        if str(path) == media:
            return usage(10**11, 10**11 - 200 * 10**6, 200 * 10**6)
        return real(path)

    settings.WARTA_MIN_FREE_DISK_BYTES = 10**9
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(health.shutil, "disk_usage", disk_usage)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"] == "low" and response.json()["status"] == "fail"
    assert media not in response.text  # public: it names no folder

    settings.WARTA_MIN_FREE_DISK_BYTES = 100 * 10**6
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["disk"] == "ok"
