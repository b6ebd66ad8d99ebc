from django.tasks import task

from warta.archive import services, sources
from warta.core.periodic import every


@every(60)
@task
def archive_sync() -> int:
    """Append what was published, received or changed since the last run."""
    return sources.archive_sync()


@every(24 * 3600)
@task
def archive_retention() -> int:
    return services.retention_apply()
