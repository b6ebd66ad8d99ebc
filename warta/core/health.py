"""`/healthz`: for load balancers and monitoring. Public, so it says little."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django_tasks_db.models import DBTaskResult

from warta.core.models import SchedulerLease
from warta.lib import clock

# A queue whose oldest ready task waits longer than this means the workers are down or
# overwhelmed; the endpoint then answers 503 so that monitoring raises the alarm.
MAX_QUEUE_WAIT_SECONDS = 600


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        return JsonResponse({"status": "fail", "database": "unreachable"}, status=503)
    now = clock.now()
    # Tasks enqueued without a start time carry the maximum date as run_after.
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    wait = 0
    if oldest is not None:
        since = oldest.run_after if oldest.run_after <= now else oldest.enqueued_at
        wait = max(0, int((now - since).total_seconds()))
    checks["queue_wait_seconds"] = wait
    if wait > MAX_QUEUE_WAIT_SECONDS:
        healthy = False
    lease = SchedulerLease.objects.filter(name="scheduler").first()
    checks["scheduler"] = "ok" if lease and lease.expires_at > now else "not running"
    checks["status"] = "ok" if healthy else "fail"
    return JsonResponse(checks, status=200 if healthy else 503)
