"""List pages cost the same number of queries for 3 rows as for 20."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from warta.channels.models import Channel
from warta.core.services import audit_record
from warta.institutions.models import Agency, Officer
from warta.testing.fixtures import World, make_person


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world: World, start: int, n: int) -> None:
    for i in range(start, start + n):
        agency = Agency.objects.create(
            region=world.region, name=f"Kecamatan {i}", short_name=f"K{i}"
        )
        Channel.objects.create(agency=agency, platform="instagram", handle=f"@k{i}")
        make_person(f"petugas{i}", world.region, Officer.Role.OFFICER, [agency])
        audit_record(actor=world.cora, action="agency.create", obj=agency)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/institusi/opd/",
        "/institusi/petugas/",
        "/kanal/",
        "/core/audit/",
        "/api/v1/agencies/",
        "/api/v1/officers/",
        "/api/v1/channels/",
    ],
)
def test_list_pages_do_not_grow_with_rows(world: World, cora_client: Client, path: str) -> None:
    _grow(world, 0, 1)
    before = _queries(cora_client, path)
    _grow(world, 1, 18)
    assert _queries(cora_client, path) == before


def test_token_page_needs_a_role(world: World) -> None:
    from django.contrib.auth.models import User

    from warta.testing.fixtures import client_for

    nobody = User.objects.create_user("nobody", password="x")
    assert client_for(nobody).get("/institusi/token-api/").status_code == 403
    assert client_for(nobody).post("/institusi/token-api/baru/").status_code == 403
    assert Client().post("/institusi/token-api/baru/").status_code == 302
