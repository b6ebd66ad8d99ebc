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


# Version 2 (issue 17): every stored field of a record is in its hash, and the payload's
# search text is hashed beside its data. Records written before keep version 1 and are
# verified as such: a chain is never rewritten to upgrade it.
HASH_VERSION = 2


def search_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record_hash_v2(
    *,
    prev_hash: str,
    region_id: int,
    seq: int,
    kind: str,
    agency_id: int | None,
    channel_id: int | None,
    subject: str,
    thread: str,
    occurred_at: datetime | str,
    recorded_at: datetime | str,
    payload_hash: str,
    search_hash: str,
    agency_seq: int | None,
    agency_prev_hash: str,
) -> str:
    fields = {
        "v": 2,
        "prev_hash": prev_hash,
        "region": region_id,
        "seq": seq,
        "kind": kind,
        "agency": agency_id,
        "channel": channel_id,
        "subject": subject,
        "thread": thread,
        "occurred_at": occurred_at if isinstance(occurred_at, str) else timestamp(occurred_at),
        "recorded_at": recorded_at if isinstance(recorded_at, str) else timestamp(recorded_at),
        "payload_hash": payload_hash,
        "search_hash": search_hash,
        "agency_seq": agency_seq,
        "agency_prev_hash": agency_prev_hash,
    }
    return hashlib.sha256(canonical(fields)).hexdigest()


def stored_record_hash(row: dict[str, Any]) -> str:
    """The hash a stored (or exported) record must carry, by its hash version."""
    if int(row.get("hash_version") or 1) == 1:
        return record_hash(
            prev_hash=row["prev_hash"],
            seq=row["seq"],
            kind=row["kind"],
            subject=row["subject"],
            occurred_at=row["occurred_at"],
            payload_hash=row["payload_hash"],
        )
    return record_hash_v2(
        prev_hash=row["prev_hash"],
        region_id=row["region_id"],
        seq=row["seq"],
        kind=row["kind"],
        agency_id=row["agency_id"],
        channel_id=row["channel_id"],
        subject=row["subject"],
        thread=row["thread"],
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        payload_hash=row["payload_hash"],
        search_hash=row["search_hash"],
        agency_seq=row["agency_seq"],
        agency_prev_hash=row["agency_prev_hash"] or "",
    )
