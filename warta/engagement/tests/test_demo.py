import random
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from warta.engagement import demo
from warta.engagement.models import Consultation, InformationRequest, ReplyTemplate
from warta.institutions.demo.context import DemoContext
from warta.testing.fixtures import World


def test_it_seeds_requests_and_two_consultations_once(world: World, alice_client: Client) -> None:
    now = timezone.now()
    ctx = DemoContext(
        region=world.region,
        rng=random.Random(7),
        scale="tiny",
        start=now - timedelta(days=120),
        end=now,
        progress=lambda _m: None,
    )
    demo.seed(ctx)
    demo.seed(ctx)
    assert InformationRequest.objects.count() == 5
    assert InformationRequest.objects.filter(extended_at__isnull=False).count() == 1
    assert Consultation.objects.count() == 2
    closed = Consultation.objects.get(closes_at__lt=now)
    assert closed.follow_up_post is not None
    assert closed.themes.exclude(answer="").exists()
    assert ReplyTemplate.objects.filter(agency=world.agency_a).count() == 3
    page = Client().get(f"/interaksi/publik/{world.region.slug}/{closed.pk}/")
    assert page.status_code == 200 and "Tindak lanjut" in page.content.decode()
