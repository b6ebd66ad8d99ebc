"""The consultation page costs the same queries for 20 themes as for 200; long lists page."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def add_themes(consultation: Consultation, n: int, *, inputs: int = 3) -> None:
    for t in range(n):
        theme = ConsultationTheme.objects.create(consultation=consultation, label=f"Tema {t}")
        FollowUpAction.objects.create(theme=theme, title=f"Tindak {t}", progress=10)
        ConsultationInput.objects.bulk_create(
            ConsultationInput(
                consultation=consultation,
                source="form",
                text=f"Masukan {t}-{i} soal taman",
                text_key=f"{t}-{i}",
                theme=theme,
                received_at=NOW - timedelta(hours=i),
                findings=[],
            )
            for i in range(inputs)
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_the_consultation_page_does_not_query_per_theme(world, alice_client) -> None:
    few = Consultation.objects.create(
        agency=world.agency_a,
        title="Sedikit",
        question="?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
    )
    many = Consultation.objects.create(
        agency=world.agency_a,
        title="Banyak",
        question="?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
    )
    add_themes(few, 20)
    add_themes(many, 200, inputs=8)
    few_url = reverse("engagement:consultation_detail", args=[few.pk])
    many_url = reverse("engagement:consultation_detail", args=[many.pk])
    queries(alice_client, few_url)  # warm the session and caches alike
    assert queries(alice_client, many_url) == queries(alice_client, few_url)
    page = alice_client.get(many_url).content.decode()
    assert page.count('class="theme"') == 10
    assert "Halaman 1 dari 20" in page
    # Each theme shows its first few inputs and links to all of them.
    first = ConsultationTheme.objects.filter(consultation=many).order_by("id").first()
    assert first is not None
    assert page.count('name="inputs"') == 10 * 5
    assert "Semua 8 masukan di tema ini" in page
    assert reverse("engagement:theme_inputs", args=[first.pk]) in page
    last = alice_client.get(many_url, {"page": 20}).content.decode()
    assert last.count('class="theme"') == 10


@time_machine.travel(NOW, tick=False)
def test_all_of_a_themes_input_pages_behind_its_link(world, alice_client, hana_client, bob_client):
    c = Consultation.objects.create(
        agency=world.agency_a,
        title="Banyak",
        question="?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
    )
    add_themes(c, 1, inputs=60)
    theme = ConsultationTheme.objects.get(consultation=c)
    url = reverse("engagement:theme_inputs", args=[theme.pk])
    few = queries(alice_client, url)
    first = alice_client.get(url).content.decode()
    assert first.count('name="inputs"') == 50 and "Halaman 1 dari 2" in first
    second = alice_client.get(url, {"page": 2}).content.decode()
    assert second.count('name="inputs"') == 10 and "Masukan 0-59 soal taman" in second
    assert queries(alice_client, url + "?page=2") == few
    # The head reads them without the split form; another agency's officer sees nothing.
    read_only = hana_client.get(url).content.decode()
    assert "Masukan 0-0 soal taman" in read_only and 'name="inputs"' not in read_only
    assert bob_client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_link_to_a_theme_opens_the_page_that_holds_it(world, alice_client) -> None:
    c = Consultation.objects.create(
        agency=world.agency_a,
        title="Banyak",
        question="?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
    )
    add_themes(c, 25, inputs=1)
    last = ConsultationTheme.objects.filter(consultation=c).order_by("id").last()
    assert last is not None
    page = alice_client.get(
        reverse("engagement:consultation_detail", args=[c.pk]), {"tema": last.pk}
    ).content.decode()
    assert f'id="tema-{last.pk}"' in page
    assert "Halaman 3 dari 3" in page
