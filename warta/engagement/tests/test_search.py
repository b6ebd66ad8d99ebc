"""Inbox text search: found through an index on both databases, same answers as a scan."""

import pytest
from django.db import connection
from django.test import Client

from warta.channels.models import Channel
from warta.engagement import selectors
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem
from warta.engagement.tests.fakes import comment
from warta.institutions.models import Agency
from warta.testing.fixtures import World

TEXTS = [
    ("c1", "Halte rusak di Bontang Kuala, mohon diperbaiki", "@rina"),
    ("c2", "HALTE dekat pasar juga rusak", "@budi_halte"),
    ("c3", "Terima kasih Dinkes, vaksinnya lancar", "@sari"),
    ("c4", 'Kata "darurat" OR NEAR(x) * dipakai di sini', "@wawan"),
]


@pytest.fixture
def inbox(world: World) -> World:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment(pid, text, handle=handle, minutes=i)
            for i, (pid, text, handle) in enumerate(TEXTS)
        ],
    )
    # The outsider's agency says the same words: never found from agency A.
    inbox_ingest(channel=world.channel_b, comments=[comment("b1", "Halte rusak juga", minutes=1)])
    return world


def _found(client: Client, q: str) -> set[str]:
    response = client.get("/interaksi/kotak-masuk/", {"q": q})
    assert response.status_code == 200
    return {i.platform_item_id for i in response.context["items"]}


def test_it_finds_words_in_any_case_inside_the_agency_only(
    inbox: World, alice_client: Client
) -> None:
    assert _found(alice_client, "halte") == {"c1", "c2"}
    assert _found(alice_client, "alte ru") == {"c1"}  # a substring, as before
    assert _found(alice_client, "VAKSIN") == {"c3"}
    assert _found(alice_client, "budi_") == {"c2"}  # the author's handle
    assert _found(alice_client, "tidak ada kata ini") == set()


def test_short_and_hostile_queries_answer_like_a_scan(inbox: World, alice_client: Client) -> None:
    assert _found(alice_client, "ha") == {"c1", "c2"}  # under a trigram: scanned
    assert _found(alice_client, '"darurat"') == {"c4"}
    assert _found(alice_client, "OR NEAR(x) *") == {"c4"}
    assert _found(alice_client, '"') == {"c4"}


def test_an_edited_or_deleted_comment_is_searched_as_it_is_now(
    inbox: World, alice_client: Client
) -> None:
    InboxItem.objects.filter(platform_item_id="c3").update(text="Jadwal posyandu bulan depan?")
    InboxItem.objects.filter(platform_item_id="c1").delete()
    assert _found(alice_client, "vaksin") == set()
    assert _found(alice_client, "posyandu") == {"c3"}
    assert _found(alice_client, "halte") == {"c2"}


def test_the_search_can_use_the_text_index(inbox: World) -> None:
    qs = InboxItem.objects.filter(selectors.text_matches("halte")).values("id")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and "engagement_inbox_fts" in plan
        else:
            # A handful of rows: the planner would rightly scan the table, or walk the
            # newest-first index and filter; forbid both to see the trigram index serve.
            for scan in ("seqscan", "indexscan", "indexonlyscan"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "engagement_inbox_text_trgm" in plan


def test_a_word_too_common_for_the_index_is_found_all_the_same(
    inbox: World, alice_client: Client, cora_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INDEX_CAP", 1)  # "halte" has two matches: walked instead
    assert _found(alice_client, "halte") == {"c1", "c2"}
    # Region-wide, the coordinator sees both agencies' matches, merged newest first.
    assert _found(cora_client, "halte") == {"c1", "c2", "b1"}


def test_a_common_word_region_wide_pages_newest_first_across_agencies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Agency A's and B's comments interleave in time; "jalan" is in all but two of them.
    for channel, offset in ((world.channel_a, 0), (world.channel_b, 1)):
        inbox_ingest(
            channel=channel,
            comments=[
                comment(
                    f"{channel.pk}-{i}",
                    "jalan rusak" if i % 4 else "lampu mati",
                    minutes=2 * i + offset,
                )
                for i in range(8)
            ],
        )
    monkeypatch.setattr(selectors, "INDEX_CAP", 1)  # too common for the index: walked
    expected = list(
        InboxItem.objects.filter(text__icontains="jalan")
        .order_by("-received_at", "-id")
        .values_list("platform_item_id", flat=True)
    )
    seen: list[str] = []
    before = ""
    while True:
        items, before = selectors.inbox_list_page(
            world.cora, selectors.InboxFilters(q="jalan"), before=before, size=5
        )
        seen.extend(i.platform_item_id for i in items)
        if not before:
            break
    assert len(expected) == 12 and seen == expected


@pytest.mark.parametrize("skewed", [False, True])
def test_a_common_word_over_many_agencies_pages_like_a_scan(
    world: World, monkeypatch: pytest.MonkeyPatch, skewed: bool
) -> None:
    # Five agencies. Skewed: one agency holds all the newest matches, so the first few
    # rows of each walk do not decide the page and that walk is taken further.
    channels = [world.channel_a, world.channel_b]
    for k in range(3):
        agency = Agency.objects.create(region=world.region, name=f"Dinas {k}", short_name=f"D{k}")
        channels.append(
            Channel.objects.create(agency=agency, platform="instagram", handle=f"@d{k}")
        )
    for n, channel in enumerate(channels):
        inbox_ingest(
            channel=channel,
            comments=[
                comment(
                    f"{n}-{i}",
                    "lampu mati" if i % 3 == 0 else "jalan rusak",
                    minutes=(100 + i if skewed and n == 0 else 5 * i + n),
                )
                for i in range(9)
            ],
        )
    monkeypatch.setattr(selectors, "INDEX_CAP", 1)  # too common for the index: walked
    monkeypatch.setattr(selectors, "FIRST_PER_PART", 1)  # 3 rows per walk first, not 8
    expected = list(
        InboxItem.objects.filter(text__icontains="jalan")
        .order_by("-received_at", "-id")
        .values_list("platform_item_id", flat=True)
    )
    seen: list[str] = []
    before = ""
    while True:
        items, before = selectors.inbox_list_page(
            world.cora, selectors.InboxFilters(q="jalan"), before=before, size=5
        )
        seen.extend(i.platform_item_id for i in items)
        if not before:
            break
    assert len(expected) == 30 and seen == expected
