"""Archive text search: found through an index on both databases, same answers as a scan."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client

from warta.archive import selectors, services
from warta.archive.models import ArchiveRecord, RecordKind, RetentionRule
from warta.archive.services import Entry, records_append
from warta.testing.fixtures import World

AT = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
TEXTS = [
    ("a1", "Halte rusak di Bontang Kuala, mohon diperbaiki", "a"),
    ("a2", "HALTE dekat pasar juga rusak @budi_halte", "a"),
    ("a3", "Terima kasih Dinkes, vaksinnya lancar", "a"),
    ("a4", 'Kata "darurat" OR NEAR(x) * dipakai 100% di sini', "a"),
    # The outsider's agency says the same words: never found from agency A.
    ("b1", "Halte rusak juga", "b"),
    # Region-wide (no agency): the coordinator's only.
    ("r1", "Pengumuman halte baru untuk seluruh kota", ""),
]


def _entry(world: World, subject: str, text: str, agency: str, minutes: int) -> Entry:
    agency_id = {"a": world.agency_a.pk, "b": world.agency_b.pk, "": None}[agency]
    return Entry(
        kind=RecordKind.ITEM_RECEIVED,
        subject=subject,
        occurred_at=AT + timedelta(minutes=minutes),
        payload={"text": text},
        agency_id=agency_id,
        search_text=text,
    )


@pytest.fixture
def texts(world: World) -> World:
    records_append(
        region_id=world.region.pk,
        entries=[_entry(world, s, t, a, i) for i, (s, t, a) in enumerate(TEXTS)],
    )
    return world


def _found(client: Client, q: str) -> set[str]:
    response = client.get("/arsip/", {"q": q})
    assert response.status_code == 200
    return {r.subject for r in response.context["records"]}


def test_it_finds_substrings_in_any_case_inside_the_agency_only(
    texts: World, alice_client: Client, cora_client: Client
) -> None:
    assert _found(alice_client, "halte") == {"a1", "a2"}
    assert _found(alice_client, "alte ru") == {"a1"}  # a substring, as before
    assert _found(alice_client, "VAKSIN") == {"a3"}
    assert _found(alice_client, "budi_") == {"a2"}
    assert _found(alice_client, "tidak ada kata ini") == set()
    assert _found(cora_client, "halte") == {"a1", "a2", "b1", "r1"}


def test_short_and_hostile_queries_answer_like_a_scan(texts: World, alice_client: Client) -> None:
    assert _found(alice_client, "ha") == {"a1", "a2"}  # under a trigram: scanned
    assert _found(alice_client, "a") == {"a1", "a2", "a3", "a4"}
    assert _found(alice_client, '"darurat"') == {"a4"}
    assert _found(alice_client, "OR NEAR(x) *") == {"a4"}
    assert _found(alice_client, "0%") == {"a4"}
    assert _found(alice_client, "%") == {"a4"}
    assert _found(alice_client, '"') == {"a4"}
    assert _found(alice_client, "_h") == {"a2"}


def test_a_purged_payload_is_no_longer_found(texts: World, alice_client: Client) -> None:
    RetentionRule.objects.create(region=texts.region, kind=RecordKind.ITEM_RECEIVED, keep_days=1)
    assert services.retention_apply(now=AT + timedelta(days=3)) == len(TEXTS)
    assert _found(alice_client, "halte") == set()
    # New records after the purge are found again (the index stayed consistent).
    records_append(region_id=texts.region.pk, entries=[_entry(texts, "a9", "halte lagi", "a", 9)])
    assert _found(alice_client, "halte") == {"a9"}


def test_pages_go_newest_first_as_a_scan_orders_them(world: World) -> None:
    # Agency A's, B's and region-wide records interleave in time; "jalan" is in most.
    entries = [
        _entry(world, f"s{i}", "jalan rusak" if i % 4 else "lampu mati", "ab"[i % 3 % 2], i)
        for i in range(40)
    ]
    entries += [_entry(world, f"r{i}", "jalan baru", "", 50 + i) for i in range(3)]
    records_append(region_id=world.region.pk, entries=entries)
    for user, q in ((world.cora, "jalan"), (world.alice, "jalan"), (world.cora, "ja")):
        expected = list(
            selectors.records_for_user(user)
            .filter(payload__search_text__icontains=q)
            .order_by("-seq")
            .values_list("subject", flat=True)
        )
        seen: list[str] = []
        before = None
        while True:
            records, before = selectors.records_page(user, text=q, before=before, size=4)
            seen.extend(r.subject for r in records)
            if before is None:
                break
        assert len(expected) > 8 and seen == expected


def test_the_page_links_to_older_records(world: World, alice_client: Client) -> None:
    records_append(
        region_id=world.region.pk,
        entries=[_entry(world, f"s{i}", f"jalan nomor {i}", "a", i) for i in range(35)],
    )
    response = alice_client.get("/arsip/", {"q": "jalan"})
    first = [r.subject for r in response.context["records"]]
    assert first == [f"s{i}" for i in range(34, 4, -1)]
    older = alice_client.get("/arsip/" + response.context["next_url"])
    assert [r.subject for r in older.context["records"]] == [f"s{i}" for i in range(4, -1, -1)]
    assert older.context["next_url"] == ""


def test_the_search_uses_the_text_index(texts: World) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            scope = selectors.records_for_user(texts.cora)
            sql, params = selectors.index_newest_sql(scope, "halte", 31)
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            # Matches come from the FTS5 index, each checked by primary key: no scan of
            # the region's records.
            assert "VIRTUAL TABLE INDEX" in plan and "archive_payload_fts" in plan
            assert "INTEGER PRIMARY KEY" in plan and "SCAN archive_archiverecord" not in plan
        else:
            qs = ArchiveRecord.objects.filter(selectors.text_matches("halte"))
            pg_sql, pg_params = qs.order_by().values("id").query.sql_with_params()
            # A handful of rows: the planner would rightly scan; forbid every other way
            # to see the trigram index serve. Nested loops too: with them the planner may
            # (by the statistics of the moment) fetch each record's payload by its key
            # and filter it, which says nothing about the index.
            for scan in ("seqscan", "indexscan", "indexonlyscan", "nestloop"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
            cursor.execute(f"EXPLAIN {pg_sql}", pg_params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "archive_payload_search_trgm" in plan
