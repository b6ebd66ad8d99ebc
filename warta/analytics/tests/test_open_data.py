"""Open data: monthly aggregates as CSV with a CKAN package description, no personal data."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from warta.analytics.rollups import rollups_refresh
from warta.engagement import ppid
from warta.engagement.models import InboxItem, InformationRequest

from .helpers import publish

# 10:00 WITA on 3 December 2026: November is over in Bontang, December is running.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


# CKAN's rules for a package (ckan/logic/schema.py default_create_package_schema and
# ckan/logic/validators.py: name_validator, tag_length_validator, tag_name_validator),
# and its default licence list (ckan/model/license.py).
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
CKAN_TAG = re.compile(r"^[\w \-.]{2,100}$")
CKAN_LICENSES = {"cc-by", "cc-by-sa", "cc-zero", "cc-nc", "odc-by", "odc-odbl", "odc-pddl"}


def ckan_errors(package: dict) -> list[str]:  # type: ignore[type-arg]
    errors = []
    if not CKAN_NAME.match(package.get("name", "")):
        errors.append("name")
    if package.get("license_id") not in CKAN_LICENSES:
        errors.append("license_id")
    for tag in package.get("tags", []):
        if not CKAN_TAG.match(tag.get("name", "")):
            errors.append(f"tag {tag!r}")
    for extra in package.get("extras", []):
        if not extra.get("key") or not isinstance(extra.get("value"), str):
            errors.append(f"extra {extra!r}")
    org = package.get("organization") or {}
    if not CKAN_NAME.match(org.get("name", "")):
        errors.append("organization")
    if not package.get("resources"):
        errors.append("resources")
    for res in package.get("resources", []):
        if not res.get("url") or res.get("format") != "CSV":
            errors.append(f"resource {res.get('name')}")
    return errors


@pytest.fixture
def november(world):  # type: ignore[no-untyped-def]
    """A November with posts, questions and an information request from a named citizen."""
    world.region.kemendagri_code = "64.74"
    world.region.save(update_fields=["kemendagri_code"])
    with time_machine.travel(NOW, tick=False):
        for day in range(3):
            publish(world.channel_a, NOV + timedelta(days=day), likes=5, reach=100)
        publish(world.channel_b, NOV, likes=1)
        InboxItem.objects.create(
            agency=world.agency_a,
            channel=world.channel_a,
            platform_item_id="c1",
            author_name="Siti Aminah",
            author_handle="@siti.bontang",
            text="Jadwal vaksin kapan? Hubungi saya 081234567890",
            received_at=NOV,
            first_response_at=NOV + timedelta(hours=5),
        )
        request = ppid.info_request_create(
            agency=world.agency_a,
            actor=world.alice,
            requester_name="Budi Santoso",
            requester_contact="budi@example.com 081298765432",
            information_requested="Anggaran posyandu 2026",
            origin=InformationRequest.Origin.WEBSITE,
            received_at=NOV,
        )
        ppid.info_request_respond(
            request=request,
            status=InformationRequest.Status.GRANTED,
            response="Terlampir.",
            actor=world.alice,
        )
        rollups_refresh()
    return world


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_the_public_gets_a_valid_ckan_package_for_a_month_that_is_over(november, client):
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("analytics:open_data", args=["kota-uji"]))
        assert page.status_code == 200
        assert "November 2026" in page.text
        response = client.get(reverse("analytics:open_data_package", args=["kota-uji", "2026-11"]))
    assert response.status_code == 200
    package = json.loads(response.content)
    assert ckan_errors(package) == []
    assert {"key": "kode_wilayah", "value": "64.74"} in package["extras"]
    assert len(package["resources"]) == 4
    assert all(r["url"].startswith("http://testserver/") for r in package["resources"])


def test_posts_and_answers_per_agency_match_what_was_published(november, client):
    with time_machine.travel(NOW, tick=False):
        posts = client.get(
            reverse(
                "analytics:open_data_csv", args=["kota-uji", "2026-11", "unggahan-media-sosial"]
            )
        )
        answers = client.get(
            reverse("analytics:open_data_csv", args=["kota-uji", "2026-11", "tanggapan-publik"])
        )
        requests = client.get(
            reverse(
                "analytics:open_data_csv",
                args=["kota-uji", "2026-11", "permohonan-informasi-publik"],
            )
        )
    rows = {(r["kode_opd"], r["kode_platform"]): r for r in _csv_rows(posts.content)}
    a, b = november.agency_a.short_name, november.agency_b.short_name
    assert rows[(a, november.channel_a.platform)]["jumlah_unggahan"] == "3"
    assert rows[(b, november.channel_b.platform)]["jumlah_unggahan"] == "1"
    assert {r["kode_wilayah"] for r in rows.values()} == {"64.74"}
    (answer,) = _csv_rows(answers.content)
    assert (answer["kode_opd"], answer["pesan_ditanggapi"]) == (a, "1")
    assert answer["median_waktu_tanggapan_jam"] == "5.0"
    (req,) = _csv_rows(requests.content)
    assert (req["permohonan_diterima"], req["permohonan_dijawab"]) == ("1", "1")
    # One granted request could point at its requester: published as "<3".
    assert req["diberikan"] == "<3"


def test_no_personal_data_leaves_in_any_file(november, tmp_path):
    with time_machine.travel(NOW, tick=False):
        call_command(
            "open_data", month="2026-11", region="kota-uji", out=tmp_path, stdout=StringIO()
        )
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert len(list(tmp_path.iterdir())) == 5
    for personal in ("Siti", "siti.bontang", "0812", "Budi", "budi@", "Anggaran posyandu"):
        assert personal not in everything


def test_a_month_still_running_or_malformed_is_not_found(november, client):
    with time_machine.travel(NOW, tick=False):
        for month in ("2026-12", "2027-01", "2026-13", "nov", "0001-01"):
            url = reverse("analytics:open_data_package", args=["kota-uji", month])
            assert client.get(url).status_code == 404
        bad = reverse("analytics:open_data_csv", args=["kota-uji", "2026-11", "rahasia"])
        assert client.get(bad).status_code == 404
        assert client.get(reverse("analytics:open_data", args=["tidak-ada"])).status_code == 404


def test_the_command_refuses_a_malformed_month(november, tmp_path):
    with pytest.raises(CommandError):
        call_command("open_data", month="11-2026", out=tmp_path)


def test_the_median_response_time_is_the_dashboards_own_figure(november, client, cora_client):
    # A question answered after 3 hours, one the public did not ask (no question: not a
    # response figure) answered after 20: the dashboard and the open data both say 4 hours.
    with time_machine.travel(NOW, tick=False):
        for n, (text, hours) in enumerate([("Buka jam berapa?", 3), ("Terima kasih", 20)]):
            InboxItem.objects.create(
                agency=november.agency_a,
                channel=november.channel_a,
                platform_item_id=f"m{n}",
                text=text,
                received_at=NOV + timedelta(days=2),
                first_response_at=NOV + timedelta(days=2, hours=hours),
            )
        page = cora_client.get(
            reverse("analytics:dashboard"), {"start": "2026-11-01", "end": "2026-11-30"}
        )
        answers = client.get(
            reverse("analytics:open_data_csv", args=["kota-uji", "2026-11", "tanggapan-publik"])
        )
    [dinkes] = [f for f in page.context["ranking"]["figures"] if f.agency == november.agency_a]
    assert dinkes.response.median_response_minutes == 240
    (answer,) = _csv_rows(answers.content)
    assert answer["median_waktu_tanggapan_jam"] == "4.0"
