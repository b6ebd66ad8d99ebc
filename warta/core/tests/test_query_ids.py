"""An id in a query string that is no id (30 digits, "²", negative) is ignored or a 404, never a 500."""

import pytest
from django.test import Client

from warta.lib.ids import parse_id
from warta.testing.fixtures import World

NOT_IDS = ["9" * 30, "9" * 19, "²", "-1", "0", "1e3", " 1"]
PAGES = [
    "/kanal/?agency={v}",
    "/kanal/baru/?agency={v}",
    "/konten/?agency={v}",
    "/konten/media/?agency={v}",
    "/interaksi/kotak-masuk/?agency={v}&channel={v}&post={v}&assignee={v}",
    "/interaksi/dip/?ubah={v}",
    "/interaksi/monev/?opd={v}&tahun={v}",
    "/interaksi/permohonan/baru/?item={v}",
    "/interaksi/permohonan/register.csv?year={v}",
    "/interaksi/publik/kota-uji/dip/?opd={v}",
    "/interaksi/publik/kota-uji/ppid/laporan/?tahun={v}",
    "/strategi/ringkasan/?agency={v}",
    "/api/v1/posts/?agency={v}",
    "/api/v1/variants/?agency={v}",
    "/api/v1/strategy-versions/?agency={v}",
    "/api/v1/strategy-versions/current/?agency={v}",
]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_query_id_that_is_no_id_never_answers_500(
    world: World, cora_client: Client, value: str
) -> None:
    cora_client.raise_request_exception = False
    answers = {page: cora_client.get(page.format(v=value)).status_code for page in PAGES}
    assert {page: code for page, code in answers.items() if code >= 500} == {}


def test_a_huge_agency_id_lists_every_channel_as_without_a_filter(
    world: World, cora_client: Client
) -> None:
    page = cora_client.get("/kanal/?agency=" + "1" * 30).content.decode()
    assert "@dinkes.uji" in page and "@disdik.uji" in page


def test_parse_id_takes_only_database_ids() -> None:
    assert parse_id("42") == 42
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    assert [parse_id(v) for v in [*NOT_IDS, str(2**63), "", None]] == [None] * (len(NOT_IDS) + 3)
