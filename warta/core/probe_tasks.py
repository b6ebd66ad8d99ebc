"""Probe tasks for the scale-out test and benchmarks: they report which process ran them.

They live outside the tests package so that a worker started from the command line can
import them by path, as it would any app's task; nothing in the product enqueues them.
"""

import os
import time

from django.tasks import task


@task
def probe(*, sleep_ms: int = 0) -> int:
    """Wait like a platform call would (sleep_ms), then say which process ran us."""
    if sleep_ms:
        time.sleep(sleep_ms / 1000)
    return os.getpid()
