import random
from datetime import timedelta

import pytest
from django.utils import timezone

from warta.content import demo
from warta.content.models import PostVariant
from warta.institutions.demo.context import DemoContext


@pytest.mark.django_db
def test_demo_seed_adds_upcoming_posts(world):
    now = timezone.now()
    ctx = DemoContext(
        region=world.region,
        rng=random.Random(1),
        scale="city",
        start=now - timedelta(days=90),
        end=now,
        progress=lambda _: None,
    )
    demo.seed(ctx)
    upcoming = PostVariant.objects.filter(status="scheduled", scheduled_at__gt=now)
    assert upcoming.exists()
    assert PostVariant.objects.filter(status="draft").exists()


@pytest.mark.django_db
def test_demo_seed_is_deterministic(world):
    now = timezone.now()

    def run(scale: str) -> list[str]:
        PostVariant.objects.all().delete()
        ctx = DemoContext(
            region=world.region,
            rng=random.Random(7),
            scale=scale,
            start=now - timedelta(days=90),
            end=now,
            progress=lambda _: None,
        )
        demo.seed(ctx)
        return sorted(
            map(
                repr,
                PostVariant.objects.values_list(
                    "caption", "scheduled_at", "status", "idempotency_key", "post__created_at"
                ),
            )
        )

    assert run("city") == run("city")
    assert run("city")
