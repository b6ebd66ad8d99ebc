"""`manage.py db_worker`, with the benchmark's fake-platform connector registered first."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from fakeplatform import register_connector  # noqa: E402

register_connector()
call_command("db_worker", *sys.argv[1:])
