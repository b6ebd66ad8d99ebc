"""Menus by role: every link in anyone's menu opens (no 403, no 404), for every role."""

import re

import pytest
from django.test import Client

from warta.institutions.models import Officer
from warta.testing.fixtures import World, client_for, make_person

HEADER = re.compile(r'<header class="site[^"]*">(.*?)</header>', re.S)
HREF = re.compile(r'<a [^>]*href="([^"#]+)"')


def menu_links(client: Client) -> list[str]:
    page = client.get("/")
    assert page.status_code == 200
    header = HEADER.search(page.content.decode())
    assert header is not None
    return sorted(set(HREF.findall(header.group(1))))


@pytest.mark.parametrize("role", Officer.Role.values)
def test_every_menu_link_of_every_role_opens(world: World, role: str) -> None:
    person = make_person(f"menu-{role}", world.region, role, [world.agency_a])
    client = client_for(person)
    links = menu_links(client)
    assert len(links) >= 5  # the menu is there: the check below cannot pass on nothing
    answers = {url: client.get(url).status_code for url in links}
    assert {url: code for url, code in answers.items() if code >= 400} == {}


def test_daily_work_is_in_the_main_menu_and_approvals_only_for_reviewers(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    officer = alice_client.get("/").content.decode()
    main_menu = officer.split('id="site-menu"')[1].split("secondary-menu")[0]
    for label in ("Beranda", "Kalender", "Kotak masuk", "Permohonan informasi"):
        assert f">{label}</a>" in main_menu
    assert ">Persetujuan</a>" not in officer and ">Token API</a>" not in main_menu
    assert ">Persetujuan</a>" in cora_client.get("/").content.decode()
