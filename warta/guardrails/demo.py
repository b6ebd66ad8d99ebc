"""Demo guardrail settings: an election period with its lists, and a stricter rule for e-mail."""

from datetime import date

from warta.guardrails.models import ElectionPeriod, GuardrailSettings
from warta.institutions.demo.context import DemoContext


def seed(ctx: DemoContext) -> None:
    GuardrailSettings.objects.get_or_create(region=ctx.region, defaults={"approval_sla_hours": 24})
    end = ctx.end.date()
    if ElectionPeriod.objects.filter(region=ctx.region).exists():
        return
    # A fictitious local election around the end of the demo history, so the check is live.
    ElectionPeriod.objects.create(
        region=ctx.region,
        name=f"Pilkada {ctx.region.name} (contoh)",
        start=date(end.year, max(1, end.month - 1), 1),
        end=date(end.year + 1, 1, 31),
        parties="Partai Maju Sejahtera | PMS\nPartai Nusantara Bersatu | PNB\nPartai Harapan Rakyat | PHR",
        candidates="Andi Wijaya | 1\nSitti Rahmah | 2\nYohanes Lado | 3",
        slogans="Bontang Makin Hebat\nLanjutkan Pembangunan",
        gestures="salam tiga jari",
        sitting_candidates="Andi Wijaya",
    )
