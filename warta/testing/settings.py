"""Settings for the test suite: warta.settings, fed test values through the environment.

Not a second settings file: it only supplies environment defaults before importing the one.
"""

import os

os.environ.setdefault("WARTA_DEBUG", "0")
os.environ.setdefault(
    "WARTA_SECRET_KEY", "test-secret-key-that-is-long-enough-for-checks-0123456789"
)
os.environ.setdefault("WARTA_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("WARTA_CREDENTIAL_KEYS", "dGVzdC1rZXktZm9yLXdhcnRhLXRlc3RzLW9ubHktMDA=")
os.environ.setdefault("WARTA_FAST_PASSWORD_HASHER", "1")
os.environ.setdefault("WARTA_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("WARTA_SECURE_COOKIES", "0")
os.environ.setdefault("WARTA_LOG_LEVEL", "WARNING")
# Each test process keeps its own cache, cleared between tests by the suites that cache;
# the database cache itself is tested in core/tests/test_cache.py.
os.environ.setdefault("WARTA_CACHE", "local")
# No DNS or HTTP from the suite: link checks are tested with a fake prober.
os.environ.setdefault("WARTA_LINK_CHECK_ENABLED", "0")

from warta.settings import *  # noqa: F403
