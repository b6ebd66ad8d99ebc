"""The first-run token: proves that whoever opens the set-up page also runs the server.

The token is WARTA_SETUP_TOKEN when set, else derived from the secret key, so every web
process agrees on it without storing anything. `warta setup-token` prints it. The page
accepting it exists only while no region exists.
"""

import os

from django.utils.crypto import constant_time_compare, salted_hmac

from warta.institutions.models import Region


def setup_token() -> str:
    return (
        os.environ.get("WARTA_SETUP_TOKEN")
        or salted_hmac("warta.first-run", "setup-token", algorithm="sha256").hexdigest()[:32]
    )


def setup_token_valid(candidate: str) -> bool:
    return bool(candidate) and constant_time_compare(candidate.strip(), setup_token())


def setup_needed() -> bool:
    return not Region.objects.exists()
