"""The shared cache: `migrate` creates its table and every process sees what one stored."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import override_settings

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "warta_cache",
    }
}


@pytest.mark.django_db
def test_migrate_creates_the_cache_table_and_web_processes_share_it():
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("migrate", verbosity=0)
        # Two web processes (or machines) each have their own cache object.
        first, second = DatabaseCache("warta_cache", {}), DatabaseCache("warta_cache", {})
        first.set("analytics:figures:demo", {"Dinkes": 87}, 60)
        assert second.get("analytics:figures:demo") == {"Dinkes": 87}
        second.delete("analytics:figures:demo")
        assert first.get("analytics:figures:demo") is None
