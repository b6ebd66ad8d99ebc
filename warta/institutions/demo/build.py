"""Writes a demo region: institutions, people, channels and history, all with bulk inserts.

No row is saved one by one and no signal fires: at province scale (~6,400 channels, two
years) per-row saves would take hours. Timestamps are historic, so auto_now fields are
switched off while the demo writes (see `historic_timestamps`).
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models

from warta.analytics.models import ChannelSnapshot, MetricSnapshot
from warta.channels.models import Channel
from warta.connectors.sandbox import practice_credentials
from warta.content.models import Post, PostVariant
from warta.engagement.models import InboxItem
from warta.institutions.demo import history
from warta.institutions.demo.comments import HOSTILE
from warta.institutions.demo.fastinsert import FastInserter
from warta.institutions.demo.people import person_name
from warta.institutions.demo.places import RegionSpec, agencies_for
from warta.institutions.demo.plan import (
    HEAD_CHANGE,
    AgencyPlan,
    ChannelPlan,
    StaffMember,
    bontang_staff,
    light_staff,
    plan_region,
)
from warta.institutions.demo.scales import Scale
from warta.institutions.models import Agency, LeadershipTerm, Officer, Region
from warta.lib import crypto
from warta.lib.platforms import ConnectionMode

DEMO_PASSWORD = "warta-demo-2026"  # noqa: S105 - published on purpose; demo_logins prints it
BATCH = 2000
Progress = Callable[[str], None]


@contextmanager
def historic_timestamps() -> Iterator[None]:
    """Let the demo write past created_at/updated_at values instead of "now"."""
    switched: list[tuple[models.DateTimeField, bool, bool]] = []
    for model in (Region, Agency, Channel, Post, PostVariant, InboxItem):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class RegionResult:
    region: Region
    counts: dict[str, int] = field(default_factory=dict)


def _bulk(model: type[models.Model], objs: list, counts: dict[str, int]) -> None:  # type: ignore[type-arg]
    if objs:
        model._default_manager.bulk_create(objs, batch_size=BATCH)
    label = model._meta.label
    counts[label] = counts.get(label, 0) + len(objs)


def build_region(
    *,
    spec: RegionSpec,
    scale: Scale,
    rng: random.Random,
    start: datetime,
    end: datetime,
    password_hash: str,
    full_staff: bool,
    progress: Progress,
    inserter: FastInserter,
) -> RegionResult:
    counts: dict[str, int] = {}
    region = Region.objects.create(
        name=spec.name,
        slug=spec.slug,
        kind=spec.kind,
        timezone=spec.timezone,
        kemendagri_code=spec.kemendagri_code,
        created_at=start - timedelta(days=rng.randint(30, 90)),
    )
    specs = agencies_for(spec, scale.agencies_per_region)
    plans = plan_region(
        rng, spec, specs, start=start, end=end, fixed_platforms=scale.fixed_platforms
    )
    agencies = [
        Agency(
            region=region,
            name=s.name,
            short_name=s.short_name,
            kind=s.kind,
            created_at=region.created_at,
        )
        for s in specs
    ]
    _bulk(Agency, agencies, counts)
    by_short = {a.short_name: a for a in agencies}

    heads = _leadership(rng, plans, agencies, start, counts)
    staff = bontang_staff(specs) if full_staff else light_staff(spec, plans)
    users_by_agency = _people(rng, region, staff, by_short, heads, password_hash, start, counts)

    rows = history.RegionRows()
    worlds: list[history.AgencyWorld] = []
    channels: list[Channel] = []
    # One stream per agency for its history: how many rows a stretch of time holds depends
    # on "now", and without separate streams one agency's extra post would reshuffle every
    # agency after it.
    streams = [random.Random(rng.getrandbits(64)) for _ in plans]
    for plan, agency, stream in zip(plans, agencies, streams, strict=True):
        pairs = []
        for cp in plan.channels:
            channel = _channel(rng, cp, agency, end, sandbox=full_staff)
            channel.followers = history.channel_snapshots(
                stream, cp, channel, scale, start, end, rows
            )
            channels.append(channel)
            pairs.append((cp, channel))
        worlds.append(
            history.AgencyWorld(
                plan=plan,
                agency=agency,
                channels=pairs,
                officers=users_by_agency.get(agency.short_name, []),
                heads=heads[agency.short_name],
            )
        )
    _bulk(Channel, channels, counts)
    for world, stream in zip(worlds, streams, strict=True):
        history.agency_history(stream, world, spec, scale, start, end, rows)
    # Every hostile sample shows up at least once, so that each page showing public text
    # has markup and template syntax to escape.
    for index, text in zip(
        rng.sample(range(len(rows.inbox)), min(len(rows.inbox), len(HOSTILE))),
        HOSTILE,
        strict=False,
    ):
        rows.inbox[index].text = text
    progress(
        f"{spec.name}: {len(rows.posts):,} unggahan, {len(rows.variants):,} varian, "
        f"{len(rows.inbox) + len(rows.inbox_replies):,} pesan masuk"
    )
    for model, objs in (
        (ChannelSnapshot, rows.channel_snapshots),
        (Post, rows.posts),
        (PostVariant, rows.variants),
        (MetricSnapshot, rows.metrics),
        (InboxItem, rows.inbox),
        (InboxItem, rows.inbox_replies),
    ):
        inserter.insert(model, objs)  # type: ignore[arg-type]
        counts[model._meta.label] = counts.get(model._meta.label, 0) + len(objs)
    return RegionResult(region=region, counts=counts)


def _leadership(
    rng: random.Random,
    plans: list[AgencyPlan],
    agencies: list[Agency],
    start: datetime,
    counts: dict[str, int],
) -> dict[str, list[tuple[datetime, str]]]:
    """Each agency's heads over the period, oldest first; the head-change agency has two."""
    terms: list[LeadershipTerm] = []
    heads: dict[str, list[tuple[datetime, str]]] = {}
    for plan, agency in zip(plans, agencies, strict=True):
        first, last = person_name(rng, formal=True)
        began = start.date() - timedelta(days=rng.randint(150, 1500))
        names = [(start, f"{first} {last}")]
        if plan.scenario == HEAD_CHANGE and plan.change_at is not None:
            changed: date = plan.change_at.date()
            terms.append(
                LeadershipTerm(
                    agency=agency,
                    head_name=names[0][1],
                    title=plan.spec.head_title,
                    start=began,
                    end=changed - timedelta(days=1),
                )
            )
            new_first, new_last = person_name(rng, formal=True)
            names.append((plan.change_at, f"{new_first} {new_last}"))
            terms.append(
                LeadershipTerm(
                    agency=agency, head_name=names[1][1], title=plan.spec.head_title, start=changed
                )
            )
        else:
            terms.append(
                LeadershipTerm(
                    agency=agency, head_name=names[0][1], title=plan.spec.head_title, start=began
                )
            )
        heads[agency.short_name] = names
    _bulk(LeadershipTerm, terms, counts)
    return heads


def _people(
    rng: random.Random,
    region: Region,
    staff: list[StaffMember],
    by_short: dict[str, Agency],
    heads: dict[str, list[tuple[datetime, str]]],
    password_hash: str,
    start: datetime,
    counts: dict[str, int],
) -> dict[str, list[User]]:
    """Users and their officer profiles; returns the officers (writers) of each agency."""
    users, officers = [], []
    for member in staff:
        if member.head_of:
            # The head's account belongs to whoever heads the agency now.
            full = heads[member.head_of][-1][1]
            first, _, last = full.rpartition(" ")
        else:
            first, last = person_name(rng)
        users.append(
            User(
                username=member.username,
                first_name=first[:150],
                last_name=last[:150],
                email=f"{member.username}@demo.warta.invalid",
                password=password_hash,
                date_joined=start - timedelta(days=rng.randint(1, 60)),
            )
        )
    _bulk(User, users, counts)
    for member, user in zip(staff, users, strict=True):
        officers.append(
            Officer(
                user=user,
                region=region,
                role=member.role,
                phone=f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}",
            )
        )
    _bulk(Officer, officers, counts)
    links = []
    writers: dict[str, list[User]] = {}
    for member, user, officer in zip(staff, users, officers, strict=True):
        for short in member.agencies:
            links.append(
                Officer.agencies.through(officer_id=officer.pk, agency_id=by_short[short].pk)
            )
            if member.role == Officer.Role.OFFICER:
                writers.setdefault(short, []).append(user)
    _bulk(Officer.agencies.through, links, counts)
    return writers


def _channel(
    rng: random.Random, cp: ChannelPlan, agency: Agency, end: datetime, *, sandbox: bool
) -> Channel:
    # The demo city's API channels are connected to warta's sandbox platforms (they
    # publish, reply and sync on this machine only), with the sandbox's practice tokens.
    sandboxed = sandbox and cp.mode == ConnectionMode.API
    channel = Channel(
        agency=agency,
        platform=cp.platform,
        handle=cp.handle,
        url=cp.url,
        mode=ConnectionMode.SANDBOX if sandboxed else cp.mode,
        created_at=agency.created_at,
        external_id=str(rng.getrandbits(50)) if cp.mode == "api" else "",
    )
    if sandboxed:
        channel.credentials_encrypted = crypto.encrypt_json(practice_credentials(cp.platform))
    if cp.needs_reconnect:
        expired = end - timedelta(days=rng.randint(5, 12))
        channel.status = Channel.Status.NEEDS_RECONNECT
        channel.status_reason = "Token akses kedaluwarsa; sambungkan ulang akun."
        # As publishing words it (publishing/messages.py RECONNECT): what happened, what to do.
        channel.last_error = (
            "Token akses kedaluwarsa atau dicabut. Hubungkan ulang akun di halaman kanal."
        )
        channel.token_expires_at = expired
        channel.last_sync_at = expired - timedelta(hours=rng.randint(1, 20))
    elif cp.mode == "api":
        channel.token_expires_at = end + timedelta(days=rng.randint(10, 55))
        channel.last_sync_at = end - timedelta(minutes=rng.randint(2, 58))
    elif cp.mode == "export":
        channel.last_sync_at = end - timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 8))
    return channel


def shared_password_hash() -> str:
    # One hash for every demo account: hashing thousands of passwords one by one would
    # dominate the province scale, and they share the published password anyway.
    return make_password(DEMO_PASSWORD)
