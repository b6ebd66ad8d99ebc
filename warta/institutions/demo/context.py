"""The extension point of `warta seed-demo`: each app may add its own demo data.

An app that wants demo data defines `warta/<app>/demo.py` with `def seed(ctx: DemoContext)`.
The seed command first creates the region, agencies, officers, channels and the base
history (posts, variants, metrics, comments), then calls each app's `seed` in APP_ORDER,
once per region. Hooks must be deterministic (use `ctx.rng` only) and cheap at
province scale (skip or thin out when `ctx.scale != "city"`).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from warta.institutions.models import Region

APP_ORDER = ["strategy", "content", "guardrails", "engagement", "analytics", "archive"]


@dataclass
class DemoContext:
    region: Region
    rng: random.Random
    scale: str  # "city" or "province" (or "tiny" for tests)
    start: datetime  # first day of the synthetic history (UTC)
    end: datetime  # "now" of the demo (UTC)
    progress: Callable[[str], None]


def run_app_seeds(ctx: DemoContext) -> None:
    for app in APP_ORDER:
        try:
            module = import_module(f"warta.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"warta.{app}.demo":
                raise
            continue
        ctx.progress(f"{ctx.region.name}: {app}")
        module.seed(ctx)
