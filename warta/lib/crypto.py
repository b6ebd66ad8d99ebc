"""Encryption of channel credentials at rest (Fernet; several keys allow rotation)."""

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnreadable(Exception):
    """None of the configured keys can open the stored credentials."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.WARTA_CREDENTIAL_KEYS])


def encrypt_json(data: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialsUnreadable("no configured key opens these credentials") from exc


def rotate(token: str) -> str:
    """Re-encrypt under the first (newest) key."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialsUnreadable("no configured key opens these credentials") from exc


def generate_key() -> str:
    return Fernet.generate_key().decode()
