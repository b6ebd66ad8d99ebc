"""Slow down password guessing: failures per user name and per address, shared by all processes."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from warta.core.models import LoginAttempt
from warta.lib import clock


def login_locked(*, username: str, ip_address: str | None) -> bool:
    since = clock.now() - timedelta(seconds=settings.WARTA_LOGIN_LOCKOUT_SECONDS)
    recent = LoginAttempt.objects.filter(at__gte=since)
    by_name = recent.filter(username__iexact=username).count() if username else 0
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # An address may try a few names (a shared office NAT), but not endlessly.
    return (
        by_name >= settings.WARTA_LOGIN_MAX_FAILURES
        or by_ip >= 4 * settings.WARTA_LOGIN_MAX_FAILURES
    )


def login_failed(*, username: str, ip_address: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address)
    cutoff = clock.now() - timedelta(days=1)
    LoginAttempt.objects.filter(at__lt=cutoff).delete()


def login_succeeded(*, username: str) -> None:
    LoginAttempt.objects.filter(Q(username__iexact=username)).delete()
