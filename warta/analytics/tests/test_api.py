from datetime import UTC, datetime, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from warta.analytics.models import MetricImport
from warta.analytics.rollups import rollups_refresh

from .helpers import publish

NOW = datetime(2026, 10, 30, 4, 0, tzinfo=UTC)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_indices_are_scoped_to_what_the_caller_may_read(world) -> None:
    publish(world.channel_a, NOW - timedelta(days=10))
    publish(world.channel_b, NOW - timedelta(days=10))
    rollups_refresh()
    everyone = _client(world.cora).get("/api/v1/analytics/indices/").json()["results"]
    assert {r["agency"]["short_name"] for r in everyone} == {"Dinkes", "Disdik"}
    own = _client(world.hana).get("/api/v1/analytics/indices/").json()["results"]
    assert [r["agency"]["short_name"] for r in own] == ["Dinkes"]
    assert own[0]["response"]["engagement_rate_basis"] in {"", "reach", "followers"}
    bad = _client(world.cora).get("/api/v1/analytics/indices/", {"platform": "myspace"})
    assert bad.status_code == 400


@time_machine.travel(NOW, tick=False)
def test_imports_through_the_api_keep_the_agency_boundary(
    world, django_capture_on_commit_callbacks
) -> None:
    data = b"Post ID,Publish time,Reach,Likes,Comments\n7,10/01/2026 08:00,100,5,1\n"
    url = "/api/v1/analytics/imports/"
    upload = {"channel": world.channel_a.pk, "file": SimpleUploadedFile("ig.csv", data)}
    assert _client(world.bob).post(url, upload, format="multipart").status_code == 404
    upload["file"] = SimpleUploadedFile("ig.csv", data)
    assert _client(world.hana).post(url, upload, format="multipart").status_code == 403
    upload["file"] = SimpleUploadedFile("ig.csv", data)
    with django_capture_on_commit_callbacks(execute=True):
        created = _client(world.alice).post(url, upload, format="multipart")
    assert created.status_code == 202
    job = MetricImport.objects.get()
    detail = _client(world.alice).get(f"{url}{job.pk}/").json()
    assert (detail["status"], detail["created_count"]) == ("done", 1)
    assert _client(world.bob).get(f"{url}{job.pk}/").status_code == 404
