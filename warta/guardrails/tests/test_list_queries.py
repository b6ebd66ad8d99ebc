"""The queue, strategy lists and their API cost the same queries for few rows as for many."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.content.models import Post, PostVariant
from warta.strategy import services as strategy_services
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World

FINDING = {
    "check": "election",
    "code": "candidate",
    "severity": "approval",
    "message": "Menyebut calon",
    "hint": "Hapus",
    "field": "caption",
    "start": 0,
    "end": 4,
    "data": {},
}


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world: World, start: int, n: int) -> None:
    for i in range(start, start + n):
        post = Post.objects.create(
            agency=world.agency_a if i % 2 else world.agency_b, message=f"Andi {i}"
        )
        PostVariant.objects.create(
            post=post,
            channel=world.channel_a if i % 2 else world.channel_b,
            caption=f"Andi {i}",
            status=PostVariant.Status.AWAITING_APPROVAL,
            findings=[FINDING],
            approval_requested_at=timezone.now() - timedelta(hours=i),
        )
        strategy_services.strategy_propose(
            actor=world.cora,
            region=world.region,
            agency=world.agency_a,
            data=strategy_doc(ideas=[{"pillar": "education", "text": f"Ide {i}"}]),
            reason=f"Perubahan nomor {i}",
        )


def test_lists_do_not_grow_with_rows(world: World, cora_client: Client) -> None:
    paths = [
        "/rambu/",
        "/strategi/",
        f"/strategi/opd/{world.agency_a.pk}/",
        "/api/v1/strategy-versions/",
    ]
    _grow(world, 0, 1)
    before = {p: _queries(cora_client, p) for p in paths}
    _grow(world, 1, 12)
    assert {p: _queries(cora_client, p) for p in paths} == before


payloads = st.dictionaries(
    st.sampled_from(["agency", "platform", "caption", "title", "first_comment"]),
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=200)
    | st.lists(st.integers(), max_size=3),
    max_size=5,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads)
def test_the_check_api_never_answers_500(world: World, alice_client: Client, payload: dict) -> None:  # type: ignore[type-arg]
    response = alice_client.post(
        "/api/v1/guardrails/check/", payload, content_type="application/json"
    )
    assert response.status_code in {200, 400, 404}
