from django.tasks import TaskContext, task

from warta.analytics import reports, rollups, services
from warta.analytics.imports.services import metric_import_process
from warta.core.periodic import every


@every(3600)
@task
def sync_metrics() -> int:
    """Read post metrics and follower counts of every API channel."""
    return services.metrics_sync_all().snapshots


@every(900)
@task
def refresh_rollups() -> int:
    """Fold what changed since the last run into the rollups dashboards read."""
    stats = rollups.rollups_refresh_exclusive()
    return stats.buckets if stats else 0


@every(3600)
@task
def send_monthly_reports() -> int:
    """Once a month has ended: generate its reports and send them to their recipients."""
    return reports.monthly_reports_send_due()


@task(takes_context=True)
def process_metric_import(context: TaskContext, import_id: int) -> str:
    # A re-run (the reaper re-queued it after its worker died) resumes the import.
    job = metric_import_process(import_id=import_id, attempt=context.attempt)
    if job.created_count:
        # Show the new figures soon; if a refresh is running, the next periodic one will.
        rollups.rollups_refresh_exclusive()
    return job.status
