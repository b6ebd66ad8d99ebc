"""Base fixtures: a region with two agencies and one person of each role."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from warta.channels.models import Channel
from warta.institutions.models import Agency, Officer, Region

PASSWORD = "correct-horse-battery-staple"  # noqa: S105  (test accounts only)


@dataclass
class World:
    region: Region
    agency_a: Agency
    agency_b: Agency
    channel_a: Channel
    channel_b: Channel
    alice: User  # officer of agency A
    cora: User  # coordinator of the region
    hana: User  # head of agency A (read-only)
    bob: User  # officer of agency B: the outsider for every ownership test


def make_person(
    username: str, region: Region, role: str, agencies: list[Agency] | None = None
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.capitalize(),
        email=f"{username}@example.test",
    )
    officer = Officer.objects.create(user=user, region=region, role=role)
    if agencies:
        officer.agencies.set(agencies)
    return user


@pytest.fixture
def world(db: None) -> World:
    region = Region.objects.create(
        name="Kota Uji", slug="kota-uji", kind=Region.Kind.KOTA, timezone="Asia/Makassar"
    )
    agency_a = Agency.objects.create(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    agency_b = Agency.objects.create(region=region, name="Dinas Pendidikan", short_name="Disdik")
    channel_a = Channel.objects.create(
        agency=agency_a, platform="instagram", handle="@dinkes.uji", mode="api"
    )
    channel_b = Channel.objects.create(
        agency=agency_b, platform="instagram", handle="@disdik.uji", mode="api"
    )
    return World(
        region=region,
        agency_a=agency_a,
        agency_b=agency_b,
        channel_a=channel_a,
        channel_b=channel_b,
        alice=make_person("alice", region, Officer.Role.OFFICER, [agency_a]),
        cora=make_person("cora", region, Officer.Role.COORDINATOR),
        hana=make_person("hana", region, Officer.Role.HEAD, [agency_a]),
        bob=make_person("bob", region, Officer.Role.OFFICER, [agency_b]),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(world: World) -> Client:
    return client_for(world.alice)


@pytest.fixture
def cora_client(world: World) -> Client:
    return client_for(world.cora)


@pytest.fixture
def hana_client(world: World) -> Client:
    return client_for(world.hana)


@pytest.fixture
def bob_client(world: World) -> Client:
    return client_for(world.bob)


@pytest.fixture
def db_tasks(settings: Any) -> None:
    """Tasks go to the database queue, as in production, instead of running inline."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
