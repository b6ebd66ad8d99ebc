"""What the demo's warta would already have sent during its history, marked as sent.

The synthetic history pretends warta was running all along: the reminders for its
overdue messages and requests, today's digests and last month's reports went out back
then. Marking them keeps the first `make demo` from e-mailing dozens of people at
start-up; what falls due from now on is sent as usual.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from warta.analytics.models import MonthlyReport
from warta.content.models import DigestSent
from warta.engagement.models import InboxItem, InformationRequest, Objection
from warta.engagement.reminders import REQUEST_LEAD
from warta.institutions.models import Agency, Region


def history_mark_notified(*, region: Region, end: datetime) -> None:
    agencies = list(Agency.objects.filter(region=region, is_active=True))
    # Every message of the history, also those whose target the language engine sets
    # only when it annotates them at the first run.
    InboxItem.objects.filter(
        agency__region=region,
        received_at__lte=end,
        first_response_at__isnull=True,
        reminder_sent_at__isnull=True,
    ).update(reminder_sent_at=end)
    InformationRequest.objects.filter(
        agency__region=region, reminder_sent_at__isnull=True, due_at__lte=end + REQUEST_LEAD
    ).update(reminder_sent_at=end)
    Objection.objects.filter(
        request__agency__region=region,
        reminder_sent_at__isnull=True,
        due_at__lte=end + REQUEST_LEAD,
    ).update(reminder_sent_at=end)
    today = timezone.localdate(end, timezone=ZoneInfo(region.timezone))
    DigestSent.objects.bulk_create(
        [DigestSent(agency=a, day=today) for a in agencies], ignore_conflicts=True
    )
    # Last month's reports were sent on the first of this month; no PDF is kept for them
    # (`warta monthly-report --month` renders one when someone asks).
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    sent_at = min(
        end,
        datetime.combine(
            today.replace(day=1), datetime.min.time(), tzinfo=ZoneInfo(region.timezone)
        )
        + timedelta(hours=7),
    )
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                region=region,
                agency=agency,
                month=month,
                scope=f"agency:{agency.pk}" if agency else f"region:{region.pk}",
                sent_at=sent_at,
            )
            for agency in [None, *agencies]
        ],
        ignore_conflicts=True,
    )
