"""`/healthz`: for load balancers and monitoring. Public, so it says little."""

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django_tasks_db.models import DBTaskResult

from warta.core.models import SchedulerLease
from warta.lib import clock
from warta.lib.storage import private_root

# A queue whose oldest ready task waits longer than this means the workers are down or
# overwhelmed; the endpoint then answers 503 so that monitoring raises the alarm.
MAX_QUEUE_WAIT_SECONDS = 600


def _watched_folders() -> list[Path]:
    """Where warta writes: uploads, private files, and an SQLite database's folder."""
    folders = [Path(settings.MEDIA_ROOT), private_root()]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
        folders.append(Path(database["NAME"]).parent)
    return folders


def _free_bytes(folder: Path) -> int:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # not created yet: the disk it will be on
    return shutil.disk_usage(folder).free


def disk_low() -> bool:
    """Whether any folder warta writes to has less than WARTA_MIN_FREE_DISK_BYTES free."""
    limit = settings.WARTA_MIN_FREE_DISK_BYTES
    try:
        return any(_free_bytes(folder) < limit for folder in _watched_folders())
    except OSError:
        return True  # a folder that cannot even be looked at is trouble too


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
    # Public: says "low", never which folder or how much (docs/deployment.md, "Disk").
    checks["disk"] = "low" if disk_low() else "ok"
    if checks["disk"] != "ok":
        healthy = False
    checks["status"] = "ok" if healthy else "fail"
    return JsonResponse(checks, status=200 if healthy else 503)
