"""Seeding and un-seeding the demo, as the management commands call it.

Safety: the demo never mixes into a database that holds a real region. Every region the
demo creates is marked with a `demo.seed` audit event; `demo_purge` deletes only marked
regions and refuses when any unmarked one exists.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils.translation import gettext as _

from warta.archive.wipe import archive_demo_wipe
from warta.core.models import AuditEvent
from warta.core.services import audit_record
from warta.institutions.demo.build import build_region, historic_timestamps, shared_password_hash
from warta.institutions.demo.context import DemoContext, run_app_seeds
from warta.institutions.demo.fastinsert import FastInserter
from warta.institutions.demo.notified import history_mark_notified
from warta.institutions.demo.places import BONTANG, province_region
from warta.institutions.demo.scales import SCALES
from warta.institutions.models import Region
from warta.lib import clock

DEMO_ACTION = "demo.seed"


@dataclass
class SeedSummary:
    regions: list[Region]
    start: datetime
    end: datetime
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def demo_regions() -> QuerySet[Region]:
    marked = AuditEvent.objects.filter(action=DEMO_ACTION).values("region_id")
    return Region.objects.filter(pk__in=marked)


def demo_seed(
    *,
    seed: int,
    scale: str,
    months: int | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedSummary:
    """Create the demo in one transaction (all or nothing); refuses if any region exists."""
    if scale not in SCALES:
        raise ValidationError(_("Skala tidak dikenal: %(scale)s.") % {"scale": scale})
    profile = SCALES[scale]
    months = profile.months if months is None else months
    if not 1 <= months <= 60:
        raise ValidationError(_("Jumlah bulan harus antara 1 dan 60."))
    end = (now or clock.now()).replace(second=0, microsecond=0)
    start = end - timedelta(days=round(months * 30.4375))
    began = time.monotonic()
    counts: dict[str, int] = defaultdict(int)
    regions = []
    with transaction.atomic():
        if Region.objects.exists():
            raise ValidationError(_("Basis data sudah berisi pemerintah daerah."))
        password_hash = shared_password_hash()
        for index in range(profile.regions):
            spec = BONTANG if index == 0 else province_region(index)
            inserter = FastInserter()
            # Only while the demo itself writes: apps' hooks get the usual auto_now fields.
            with historic_timestamps():
                result = build_region(
                    spec=spec,
                    scale=profile,
                    rng=random.Random(f"{seed}:{spec.slug}"),
                    start=start,
                    end=end,
                    password_hash=password_hash,
                    full_staff=index == 0,
                    progress=progress,
                    inserter=inserter,
                )
            # Before any app's hook inserts rows of its own through the ORM.
            inserter.finish()
            audit_record(
                actor=None,
                action=DEMO_ACTION,
                obj=result.region,
                region_id=result.region.pk,
                note=f"seed={seed} scale={scale} months={months}",
            )
            for label, n in result.counts.items():
                counts[label] += n
            # The apps' seeds call the same services as people do; those read "now" from
            # the clock, which must be the end of this history, not the wall clock.
            with clock.fixed_at(end):
                run_app_seeds(
                    DemoContext(
                        region=result.region,
                        rng=random.Random(f"{seed}:{spec.slug}:apps"),
                        scale=scale,
                        start=start,
                        end=end,
                        progress=progress,
                    )
                )
            history_mark_notified(region=result.region, end=end)
            regions.append(result.region)
            progress(
                _("[%(i)d/%(n)d] %(name)s selesai (%(secs).0f detik berjalan)")
                % {
                    "i": index + 1,
                    "n": profile.regions,
                    "name": spec.name,
                    "secs": time.monotonic() - began,
                }
            )
    return SeedSummary(
        regions=regions, start=start, end=end, seconds=time.monotonic() - began, counts=dict(counts)
    )


def demo_purge(*, progress: Callable[[str], None] = lambda message: None) -> int:
    """Delete every demo region with all its data and people; returns how many regions."""
    regions = demo_regions()
    if Region.objects.exclude(pk__in=regions.values("pk")).exists():
        raise ValidationError(
            _(
                "Basis data berisi pemerintah daerah yang bukan data contoh; "
                "seed_demo tidak akan menghapus atau mencampurinya."
            )
        )
    count = regions.count()
    # The demo's archive goes with it: the one deletion besides the retention purge.
    with transaction.atomic(), archive_demo_wipe():
        region_ids = list(regions.values_list("pk", flat=True))
        progress(_("Menghapus %(n)d daerah contoh...") % {"n": count})
        _force_delete(User.objects.filter(officer__region_id__in=region_ids))
        _force_delete(Region.objects.filter(pk__in=region_ids))
    return count


def _force_delete(queryset: QuerySet[models.Model], depth: int = 0) -> None:
    """Delete rows and, first, whatever other apps' rows protect them from deletion.

    Other apps may point at agencies, channels or posts with PROTECT; the demo does not
    know their models, so it asks Django's collector which rows are in the way.
    """
    if depth > 20:
        raise RuntimeError("demo purge: protection chain too deep")
    while True:
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects  # type: ignore[union-attr]
            by_model: dict[type[models.Model], list[object]] = defaultdict(list)
            for obj in blocking:
                by_model[type(obj)].append(obj.pk)
            for model, pks in by_model.items():
                for i in range(0, len(pks), 500):
                    _force_delete(model._base_manager.filter(pk__in=pks[i : i + 500]), depth + 1)
