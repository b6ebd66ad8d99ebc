"""Hashing of archive records; pure functions shared by the archiver, `verify` and exports."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def payload_hash(payload: Any) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(
    *,
    prev_hash: str,
    seq: int,
    kind: str,
    subject: str,
    occurred_at: datetime | str,
    payload_hash: str,
) -> str:
    when = occurred_at if isinstance(occurred_at, str) else timestamp(occurred_at)
    text = f"{prev_hash}|{seq}|{kind}|{subject}|{when}|{payload_hash}"
    return hashlib.sha256(text.encode()).hexdigest()


def agency_hash(*, agency_prev_hash: str, agency_seq: int, record_hash: str) -> str:
    return hashlib.sha256(f"{agency_prev_hash}|{agency_seq}|{record_hash}".encode()).hexdigest()
