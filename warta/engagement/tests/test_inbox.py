"""The inbox in the browser: who sees what, filters, actions, and hostile text shown inertly."""

import uuid
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem, Reply, ReplyTemplate, SavedView
from warta.engagement.tests.fakes import FakePlatform, comment
from warta.testing.fixtures import World

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "{{ request.user.password }}",
    "{% load static %}{% csrf_token %}",
    "\u202eevil\u202c zero\u200bwidth \u200f rtl",
    "https://phish.example/login?next=javascript:alert(1)",
    "A" * 20000,
]


@pytest.fixture
def items(world: World) -> dict[str, InboxItem]:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("a1", "Kapan vaksin dibuka?", handle="@ani"),
            comment("a2", "Dasar bodoh semua", minutes=5, handle="@troll"),
            comment("a3", "Mantap, terima kasih", minutes=10, handle="@ani"),
        ],
    )
    inbox_ingest(channel=world.channel_b, comments=[comment("b1", "Sekolah rusak?")])
    return {i.platform_item_id: i for i in InboxItem.objects.all()}


def test_it_shows_each_officer_only_their_agencys_inbox(
    items: dict[str, InboxItem],
    alice_client: Client,
    bob_client: Client,
    cora_client: Client,
    hana_client: Client,
) -> None:
    alice = alice_client.get("/interaksi/kotak-masuk/").content.decode()
    assert "Kapan vaksin" in alice and "Sekolah rusak" not in alice
    bob = bob_client.get("/interaksi/kotak-masuk/").content.decode()
    assert "Sekolah rusak" in bob and "Kapan vaksin" not in bob
    cora = cora_client.get("/interaksi/kotak-masuk/").content.decode()
    assert "Sekolah rusak" in cora and "Kapan vaksin" in cora
    assert "Kapan vaksin" in hana_client.get("/interaksi/kotak-masuk/").content.decode()


def test_it_hides_another_agencys_item_and_its_actions(
    items: dict[str, InboxItem], bob_client: Client, inbox_platform: FakePlatform
) -> None:
    pk = items["a1"].pk
    assert bob_client.get(f"/interaksi/kotak-masuk/{pk}/").status_code == 404
    for action in ["tugaskan", "balas", "selesai", "ditanggapi", "sembunyikan", "hapus"]:
        response = bob_client.post(
            f"/interaksi/kotak-masuk/{pk}/{action}/", {"text": "x", "key": str(uuid.uuid4())}
        )
        assert response.status_code == 404, action
    assert not Reply.objects.exists()
    assert InboxItem.objects.get(pk=pk).status == InboxItem.Status.NEW


def test_it_lets_the_head_read_but_not_act(
    items: dict[str, InboxItem], hana_client: Client, inbox_platform: FakePlatform
) -> None:
    pk = items["a1"].pk
    page = hana_client.get(f"/interaksi/kotak-masuk/{pk}/")
    assert page.status_code == 200 and "Kirim balasan" not in page.content.decode()
    for action in ["tugaskan", "balas", "selesai", "ditanggapi", "sembunyikan", "hapus"]:
        assert hana_client.post(f"/interaksi/kotak-masuk/{pk}/{action}/").status_code == 403
    assert hana_client.post("/interaksi/kotak-masuk/templat/", {"title": "x"}).status_code == 403
    assert hana_client.get("/interaksi/kotak-masuk/impor/").status_code == 403


def test_it_sends_anonymous_visitors_to_login(items: dict[str, InboxItem]) -> None:
    for url in [
        "/interaksi/kotak-masuk/",
        f"/interaksi/kotak-masuk/{items['a1'].pk}/",
        "/interaksi/permohonan/",
        "/interaksi/konsultasi/",
    ]:
        assert Client().get(url).status_code == 302


def test_it_filters_by_annotation_status_and_assignee(
    world: World, items: dict[str, InboxItem], alice_client: Client
) -> None:
    body = alice_client.get("/interaksi/kotak-masuk/?annotation=abusive").content.decode()
    assert "Dasar bodoh" in body and "Kapan vaksin" not in body
    body = alice_client.get("/interaksi/kotak-masuk/?annotation=intent:question").content.decode()
    assert "Kapan vaksin" in body and "Mantap" not in body
    alice_client.post(f"/interaksi/kotak-masuk/{items['a3'].pk}/tugaskan/", {"assignee": "me"})
    body = alice_client.get("/interaksi/kotak-masuk/?assignee=me").content.decode()
    assert "Mantap" in body and "Kapan vaksin" not in body
    body = alice_client.get(
        f"/interaksi/kotak-masuk/?channel={world.channel_a.pk}&status=assigned"
    ).content.decode()
    assert "Mantap" in body and "Dasar bodoh" not in body
    partial = alice_client.get(
        "/interaksi/kotak-masuk/?annotation=abusive", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Dasar bodoh" in partial and "<html" not in partial


def test_it_pages_a_long_inbox_by_cursor(world: World, alice_client: Client) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[comment(f"c{i}", f"Pesan nomor {i:03d}", minutes=i) for i in range(60)],
    )
    first = alice_client.get("/interaksi/kotak-masuk/")
    body = first.content.decode()
    assert "Pesan nomor 059" in body and "Pesan nomor 009" not in body
    next_url = first.context["next_url"]
    second = alice_client.get(f"/interaksi/kotak-masuk/{next_url}").content.decode()
    assert "Pesan nomor 009" in second and "Pesan nomor 059" not in second


def test_it_saves_views_per_person(
    world: World, items: dict[str, InboxItem], alice_client: Client, bob_client: Client
) -> None:
    alice_client.post(
        "/interaksi/kotak-masuk/tampilan/",
        {"name": "Tampilan Alice", "query": "annotation=abusive"},
    )
    view = SavedView.objects.get(owner=world.alice)
    assert "Tampilan Alice" in alice_client.get("/interaksi/kotak-masuk/").content.decode()
    assert "Tampilan Alice" not in bob_client.get("/interaksi/kotak-masuk/").content.decode()
    assert bob_client.post(f"/interaksi/kotak-masuk/tampilan/{view.pk}/hapus/").status_code == 404
    alice_client.post(f"/interaksi/kotak-masuk/tampilan/{view.pk}/hapus/")
    assert not SavedView.objects.exists()


def test_it_assigns_only_to_people_of_the_agency(
    world: World, items: dict[str, InboxItem], alice_client: Client
) -> None:
    pk = items["a1"].pk
    alice_client.post(f"/interaksi/kotak-masuk/{pk}/tugaskan/", {"assignee": world.bob.pk})
    assert InboxItem.objects.get(pk=pk).assignee is None
    alice_client.post(f"/interaksi/kotak-masuk/{pk}/tugaskan/", {"assignee": world.cora.pk})
    item = InboxItem.objects.get(pk=pk)
    assert item.assignee == world.cora and item.status == InboxItem.Status.ASSIGNED


def test_it_marks_done_and_reopens(items: dict[str, InboxItem], alice_client: Client) -> None:
    pk = items["a1"].pk
    alice_client.post(f"/interaksi/kotak-masuk/{pk}/selesai/")
    assert InboxItem.objects.get(pk=pk).status == InboxItem.Status.DONE
    alice_client.post(f"/interaksi/kotak-masuk/{pk}/selesai/", {"done": "0"})
    assert InboxItem.objects.get(pk=pk).status == InboxItem.Status.NEW


def test_it_shows_the_thread_and_the_persons_earlier_messages(
    world: World, alice_client: Client
) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("t1", "Pertanyaan pertama", handle="@ani"),
            comment("t2", "Balasan orang lain", minutes=1, parent="t1", handle="@budi"),
            comment("t3", "Pertanyaan kedua", minutes=30, handle="@ani"),
        ],
    )
    t2 = InboxItem.objects.get(platform_item_id="t2")
    body = alice_client.get(f"/interaksi/kotak-masuk/{t2.pk}/").content.decode()
    assert "Pertanyaan pertama" in body and "Balasan orang lain" in body
    t3 = InboxItem.objects.get(platform_item_id="t3")
    page = alice_client.get(f"/interaksi/kotak-masuk/{t3.pk}/")
    assert [i.platform_item_id for i in page.context["earlier"]] == ["t1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_stores_hostile_text_as_given_and_shows_it_inertly(
    world: World, alice_client: Client, text: str
) -> None:
    inbox_ingest(channel=world.channel_a, comments=[comment("h1", text)])
    item = InboxItem.objects.get()
    assert item.text == text
    for url in ["/interaksi/kotak-masuk/", f"/interaksi/kotak-masuk/{item.pk}/"]:
        body = alice_client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert 'href="https://phish' not in body
        if text.startswith("{{"):
            assert "{{ request.user.password }}" in body  # shown literally, not evaluated
        if text.startswith("{%"):
            assert "{% load static %}" in body.replace("&#x27;", "'")


def test_it_manages_reply_templates_per_agency(
    world: World, items: dict[str, InboxItem], alice_client: Client, bob_client: Client
) -> None:
    alice_client.post(
        "/interaksi/kotak-masuk/templat/",
        {
            "agency": world.agency_a.pk,
            "title": "Jadwal",
            "body": "Jadwal ada di situs kami.",
        },
    )
    template = ReplyTemplate.objects.get()
    body = alice_client.get(f"/interaksi/kotak-masuk/{items['a1'].pk}/?template={template.pk}")
    assert "Jadwal ada di situs kami." in body.content.decode()
    assert "Jadwal" not in bob_client.get("/interaksi/kotak-masuk/templat/").content.decode()
    response = bob_client.post(
        "/interaksi/kotak-masuk/templat/",
        {
            "agency": world.agency_a.pk,
            "title": "Curang",
            "body": "x",
        },
    )
    assert ReplyTemplate.objects.count() == 1 and response.status_code == 200
    assert (
        bob_client.post(f"/interaksi/kotak-masuk/templat/{template.pk}/hapus/").status_code == 404
    )


def test_it_imports_an_export_file_from_the_page(
    world: World, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from warta.engagement.models import ImportRun

    upload = SimpleUploadedFile("e.csv", b"id,text,created_at\nz1,Halo,2026-11-02 09:00\n")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = alice_client.post(
            "/interaksi/kotak-masuk/impor/", {"channel": world.channel_a.pk, "file": upload}
        )
    # The request stores the file and queues the task; the task (run here) reads it.
    assert len(queued) == 1
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/interaksi/kotak-masuk/impor/{run.pk}/"
    assert InboxItem.objects.filter(platform_item_id="z1").exists()
    body = alice_client.get(response["Location"]).content.decode()
    assert "selesai" in body and "1 baru" in body
    assert not run.file  # the stored upload goes once the run ends
    upload = SimpleUploadedFile("e.csv", b"id,text,created_at\nz2,Halo,2026-11-02 09:00\n")
    alice_client.post(
        "/interaksi/kotak-masuk/impor/", {"channel": world.channel_b.pk, "file": upload}
    )
    assert not InboxItem.objects.filter(platform_item_id="z2").exists()


def test_the_import_page_polls_until_the_worker_is_done(
    world: World, alice_client: Client, bob_client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from warta.engagement.imports import inbox_import_process
    from warta.engagement.models import ImportRun

    upload = SimpleUploadedFile("e.csv", b"id,text,created_at\nq1,Halo,2026-11-02 09:00\n")
    # Without capturing on_commit the task is never run: as while the worker is busy.
    response = alice_client.post(
        "/interaksi/kotak-masuk/impor/", {"channel": world.channel_a.pk, "file": upload}
    )
    run = ImportRun.objects.get()
    page = alice_client.get(response["Location"]).content.decode()
    assert "menunggu" in page and 'hx-trigger="every 1s"' in page
    assert not InboxItem.objects.filter(platform_item_id="q1").exists()
    inbox_import_process(run_id=run.pk)  # what the worker's task does
    fragment = alice_client.get(response["Location"], headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "selesai" in text and "hx-trigger" not in text and "<html" not in text
    assert bob_client.get(response["Location"]).status_code == 404  # another agency's run


def test_an_import_that_killed_its_worker_three_times_is_given_up(
    world: World, alice_client: Client
) -> None:
    from warta.engagement.imports import inbox_import_create, inbox_import_process
    from warta.engagement.models import ImportRun

    content = b"id,text,created_at\nk1,Halo,2026-11-02 09:00\n"
    run = inbox_import_create(
        channel=world.channel_a, content=content, filename="e.csv", actor=world.alice
    )
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)  # it died
    run = inbox_import_process(run_id=run.pk, attempt=4)
    assert run.status == ImportRun.Status.FAILED and "3 kali terputus" in run.error
    assert not InboxItem.objects.filter(platform_item_id="k1").exists() and not run.file
    page = alice_client.get(f"/interaksi/kotak-masuk/impor/{run.pk}/").content.decode()
    assert "3 kali terputus" in page


def test_an_import_bomb_through_the_page_fails_with_a_message_and_stores_nothing(
    world: World, alice_client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from warta.engagement.models import ImportRun
    from warta.testing.spreadsheets import shared_strings_bomb_xlsx

    settings.WARTA_IMPORT_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    before = InboxItem.objects.count()
    bomb = SimpleUploadedFile("komentar.xlsx", shared_strings_bomb_xlsx(200_000))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/interaksi/kotak-masuk/impor/", {"channel": world.channel_a.pk, "file": bomb}
        )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and not run.file
    page = alice_client.get(response["Location"]).content.decode()
    assert "gagal" in page and "terlalu besar setelah dibuka" in page
    assert InboxItem.objects.count() == before
    assert not list((settings.MEDIA_ROOT.parent / "private" / "inbox").rglob("*.xlsx"))


def test_it_reminds_before_the_first_response_target_is_missed(
    world: World, items: dict[str, InboxItem]
) -> None:
    from datetime import timedelta

    from warta.engagement.reminders import inbox_send_reminders

    due = items["a1"].response_due_at
    assert due is not None
    assert inbox_send_reminders(now=due - timedelta(hours=5)) == 0
    # Alice's question and Bob's (another agency) are both near their target.
    assert inbox_send_reminders(now=due - timedelta(hours=1)) == 2
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.test"]]
    assert len(to_alice) == 1 and f"#{items['a1'].pk}" in to_alice[0].body
    assert f"#{items['b1'].pk}" not in to_alice[0].body
    assert inbox_send_reminders(now=due - timedelta(minutes=30)) == 0  # once only


def test_it_pages_the_region_wide_inbox_in_order_across_agencies(
    world: World, cora_client: Client
) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[comment(f"a{i}", f"A {i:03d}", minutes=2 * i) for i in range(40)],
    )
    inbox_ingest(
        channel=world.channel_b,
        comments=[comment(f"b{i}", f"B {i:03d}", minutes=2 * i + 1) for i in range(40)],
    )
    first = cora_client.get("/interaksi/kotak-masuk/")
    second = cora_client.get(f"/interaksi/kotak-masuk/{first.context['next_url']}")
    seen = [i.platform_item_id for i in first.context["items"]] + [
        i.platform_item_id for i in second.context["items"]
    ]
    expected = [f"{'b' if n % 2 else 'a'}{n // 2}" for n in range(79, -1, -1)]
    assert seen == expected and second.context["next_url"] == ""


def test_it_finds_text_in_new_and_old_messages(world: World, alice_client: Client) -> None:
    from warta.engagement import selectors

    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment(
                f"c{i}", "drainase mampet" if i in (0, 1) or i >= 70 else f"lain {i}", minutes=i
            )
            for i in range(80)
        ],
    )
    original = selectors.SEARCH_WINDOW
    selectors.SEARCH_WINDOW = 20  # the newest 20 hold 10 matches: fewer than a page
    try:
        body = alice_client.get("/interaksi/kotak-masuk/?q=drainase")
    finally:
        selectors.SEARCH_WINDOW = original
    found = {i.platform_item_id for i in body.context["items"]}
    assert found == {"c0", "c1", *(f"c{i}" for i in range(70, 80))}


@pytest.mark.parametrize("client_name", ["alice_client", "cora_client"])
def test_the_list_costs_the_same_queries_for_few_items_and_a_full_page(
    world: World, client_name: str, request: pytest.FixtureRequest
) -> None:
    # A field the list shows but the query left out would be loaded row by row.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client: Client = request.getfixturevalue(client_name)

    def page_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/interaksi/kotak-masuk/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    def arrive(prefix: str, n: int) -> None:
        for channel in (world.channel_a, world.channel_b):
            inbox_ingest(
                channel=channel,
                comments=[
                    comment(f"{prefix}{channel.pk}-{i}", f"Jalan rusak {i}?") for i in range(n)
                ],
            )
        InboxItem.objects.filter(platform_item_id__startswith=prefix).update(
            assignee=world.alice, status=InboxItem.Status.ASSIGNED
        )

    arrive("few", 2)
    few, _html = page_queries()
    arrive("many", 40)
    many, html = page_queries()
    assert few == many
    assert "Jalan rusak 39?" in html and world.alice.get_full_name() in html
