"""The calendar reads at a glance: whole titles, thumbnails, a legend of what colours mean,
filters by channel, status and category."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warta.channels.models import Channel
from warta.content.models import MediaAsset, Post, PostMedia, PostVariant
from warta.testing.fixtures import World

NOW = datetime(2026, 12, 16, 2, 0, tzinfo=UTC)  # Wednesday, 10.00 WITA
WEEK = reverse("content:calendar") + "?view=week&date=2026-12-16"
TITLE = "Halaman Facebook: jadwal posyandu keliling bulan Desember di enam kelurahan"


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _post(
    world: World,
    channel: Channel,
    title: str,
    *,
    category: str = "service",
    status: str = "scheduled",
) -> PostVariant:
    post = Post.objects.create(agency=channel.agency, title=title, message=title, category=category)
    return PostVariant.objects.create(
        post=post,
        channel=channel,
        caption=title,
        status=status,
        scheduled_at=datetime(2026, 12, 17, 1, 0, tzinfo=UTC),
    )


def test_entries_show_the_whole_title_and_a_thumbnail(
    world: World,
    alice_client: Client,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    variant = _post(world, world.channel_a, TITLE)
    media = MediaAsset(
        agency=world.agency_a,
        kind="image",
        mime_type="image/jpeg",
        extension="jpg",
        size_bytes=10,
        sha256="0" * 64,
    )
    media.file.save("a.jpg", ContentFile(b"x"), save=False)
    media.thumbnail.save("t.jpg", ContentFile(b"x"), save=False)
    media.save()
    PostMedia.objects.create(post=variant.post, media=media)
    page = alice_client.get(WEEK).content.decode()
    assert TITLE in page  # not cut to "09:00 Halaman F…"
    assert f'class="thumb" src="{media.thumbnail.url}"' in page


def test_the_legend_explains_that_colours_are_categories(
    world: World, alice_client: Client
) -> None:
    page = alice_client.get(WEEK).content.decode()
    legend = page.split('data-testid="legend"')[1].split("</details>")[0]
    assert "kategori" in legend
    for label in (
        "Laporan kegiatan",
        "Informasi layanan publik",
        "Pengumuman/informasi serta-merta",
    ):
        assert label in legend


def test_filters_by_channel_status_and_category(world: World, alice_client: Client) -> None:
    fb = Channel.objects.create(agency=world.agency_a, platform="facebook", handle="Dinkes FB")
    _post(world, world.channel_a, "Satu di Instagram", category="service")
    _post(world, fb, "Dua di Facebook", category="education")
    _post(world, fb, "Tiga gagal", category="education", status="failed")
    agency = f"&agency={world.agency_a.pk}"
    by_channel = alice_client.get(WEEK + agency + f"&channel={fb.pk}").text
    assert "Dua di Facebook" in by_channel and "Satu di Instagram" not in by_channel
    by_status = alice_client.get(WEEK + agency + "&status=failed").text
    assert "Tiga gagal" in by_status and "Dua di Facebook" not in by_status
    by_category = alice_client.get(WEEK + agency + "&category=service").text
    assert "Satu di Instagram" in by_category and "Dua di Facebook" not in by_category
    # The calendar's own links keep the filter; a channel of another agency is ignored.
    assert f"&amp;channel={fb.pk}" in by_channel or f"&channel={fb.pk}" in by_channel
    other = alice_client.get(WEEK + agency + f"&channel={world.channel_b.pk}")
    assert other.status_code == 200 and "Dua di Facebook" in other.text


def test_the_calendar_reads_a_fixed_number_of_queries_however_many_entries(
    world: World, alice_client: Client, django_assert_num_queries: object
) -> None:
    """The entries are read with only the columns shown: none is fetched again per entry."""
    _post(world, world.channel_a, "Satu", status="draft")
    with CaptureQueriesContext(connection) as one:
        alice_client.get(WEEK)
    for n, status in enumerate(["scheduled", "published", "failed", "ready", "draft"] * 3):
        variant = _post(world, world.channel_a, f"Unggahan {n}", status=status)
        if status == "published":
            variant.published_at = variant.scheduled_at
            variant.save(update_fields=["published_at"])
    with django_assert_num_queries(len(one)):  # type: ignore[operator]
        body = alice_client.get(WEEK).content.decode()
    assert body.count("Unggahan ") >= 15 * 2  # in the grid and the agenda
