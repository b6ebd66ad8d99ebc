"""Issue 17, finding 6: deleting from the archive is refused, every field is hashed, and a
head kept outside the database catches a deleted newest record with the heads rewound."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from warta.archive import chain, services
from warta.archive.models import (
    AgencyHead,
    ArchiveHead,
    ArchivePayload,
    ArchivePurgePermit,
    ArchiveRecord,
    RecordKind,
    RetentionRule,
)
from warta.archive.tests.conftest import NOW, tamper
from warta.archive.verify import chain_verify
from warta.testing.fixtures import World

HEAD_KEY = "kunci-kepala-rantai-uji-yang-cukup-panjang-0123456789"


@pytest.fixture
def head_key(settings):  # type: ignore[no-untyped-def]
    settings.WARTA_ARCHIVE_HEAD_KEY = HEAD_KEY


def _counts() -> tuple[int, int]:
    return ArchiveRecord.objects.count(), ArchivePayload.objects.count()


def _delete_newest_and_rewind(world: World) -> None:
    """What the attack did: delete the newest record, then make the heads agree."""
    newest = ArchiveRecord.objects.filter(region=world.region).order_by("-seq").first()
    assert newest is not None
    before = ArchiveRecord.objects.get(region=world.region, seq=newest.seq - 1)
    tamper("DELETE FROM archive_archivepayload WHERE record_id = %s", [newest.pk])
    tamper("DELETE FROM archive_archiverecord WHERE id = %s", [newest.pk])
    ArchiveHead.objects.filter(region=world.region).update(
        last_seq=before.seq, last_hash=before.hash
    )
    if newest.agency_id:
        previous = (
            ArchiveRecord.objects.filter(agency_id=newest.agency_id).order_by("-agency_seq").first()
        )
        AgencyHead.objects.filter(agency_id=newest.agency_id).update(
            last_seq=previous.agency_seq if previous else 0,
            last_hash=previous.agency_hash if previous else chain.GENESIS,
        )


# --- DELETE refused in the database --------------------------------------------------


def test_the_database_refuses_to_delete_a_record(archived: World) -> None:
    before = _counts()
    newest = ArchiveRecord.objects.order_by("-seq").first()
    assert newest is not None
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM archive_archiverecord WHERE id = %s", [newest.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        ArchiveRecord.objects.filter(seq=4).delete()
    assert _counts() == before
    assert chain_verify(region_id=archived.region.pk).ok


def test_the_database_refuses_to_delete_a_payload_outside_the_purge(archived: World) -> None:
    before = _counts()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM archive_archivepayload")
    with pytest.raises(DatabaseError), transaction.atomic():
        ArchivePayload.objects.filter(record__seq=2).delete()
    assert _counts() == before
    assert chain_verify(region_id=archived.region.pk).ok


def test_a_permit_without_a_purge_record_in_the_chain_deletes_nothing(archived: World) -> None:
    target = ArchiveRecord.objects.get(seq=2)
    not_a_purge = ArchiveRecord.objects.get(seq=1)
    ArchivePurgePermit.objects.create(record=target, purge_record=not_a_purge)
    with pytest.raises(DatabaseError), transaction.atomic():
        ArchivePayload.objects.filter(record=target).delete()
    assert ArchivePayload.objects.filter(record=target).exists()


def test_the_retention_purge_deletes_only_after_recording_itself(archived: World) -> None:
    RetentionRule.objects.create(
        region=archived.region, kind=RecordKind.ITEM_RECEIVED, keep_days=30
    )
    assert services.retention_apply(now=NOW + timedelta(days=31)) == 2
    purge = ArchiveRecord.objects.get(kind=RecordKind.RETENTION_PURGE)
    purged = ArchiveRecord.objects.filter(kind=RecordKind.ITEM_RECEIVED)
    assert sorted(purge.payload.data["seqs"]) == sorted(r.seq for r in purged)
    assert set(ArchivePurgePermit.objects.values_list("record_id", flat=True)) == {
        r.pk for r in purged
    }
    assert ArchiveRecord.objects.count() == 5  # the records stay; only their content went
    result = chain_verify(region_id=archived.region.pk)
    assert result.ok and result.purged == 2


# --- every stored field is in the hash ------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE archive_archivepayload SET search_text = %s WHERE record_id = %s", ["dipalsukan"]),
        ("UPDATE archive_archiverecord SET thread = %s WHERE id = %s", ["variant:999"]),
        ("UPDATE archive_archiverecord SET channel_id = %s WHERE id = %s", [999]),
        (
            "UPDATE archive_archiverecord SET recorded_at = %s WHERE id = %s",
            ["2020-01-01 00:00:00"],
        ),
        ("UPDATE archive_archiverecord SET agency_seq = %s WHERE id = %s", [99]),
    ],
)
def test_verify_catches_a_change_to_any_stored_field(
    archived: World, sql: str, params: list[object]
) -> None:
    record = ArchiveRecord.objects.get(region=archived.region, seq=2)
    assert record.hash_version == 2
    tamper(sql, [*params, record.pk])
    result = chain_verify(region_id=archived.region.pk)
    assert not result.ok and result.first_bad_seq == 2, result.problems


def test_records_hashed_the_old_way_still_verify_beside_new_ones(archived: World) -> None:
    """A chain from before version 2: its records verify as version 1, new ones as 2."""
    # Rebuild the archived chain as the old code wrote it (version 1, no search hash).
    rows = list(ArchiveRecord.objects.filter(region=archived.region).order_by("seq"))
    prev = chain.GENESIS
    agency_prev: dict[int, str] = {}
    for r in rows:
        r.hash = chain.record_hash(
            prev_hash=prev,
            seq=r.seq,
            kind=r.kind,
            subject=r.subject,
            occurred_at=r.occurred_at,
            payload_hash=r.payload_hash,
        )
        r.agency_prev_hash = agency_prev.get(r.agency_id or 0, chain.GENESIS)
        r.agency_hash = chain.agency_hash(
            agency_prev_hash=r.agency_prev_hash, agency_seq=r.agency_seq or 0, record_hash=r.hash
        )
        agency_prev[r.agency_id or 0] = r.agency_hash
        tamper(
            "UPDATE archive_archiverecord SET hash_version = 1, search_hash = '', prev_hash = %s,"
            " hash = %s, agency_prev_hash = %s, agency_hash = %s WHERE id = %s",
            [prev, r.hash, r.agency_prev_hash, r.agency_hash, r.pk],
        )
        prev = r.hash
    ArchiveHead.objects.filter(region=archived.region).update(last_hash=prev)
    for agency_id, last in agency_prev.items():
        AgencyHead.objects.filter(agency_id=agency_id).update(last_hash=last)
    assert chain_verify(region_id=archived.region.pk).ok
    # New records continue the old chain as version 2.
    RetentionRule.objects.create(region=archived.region, kind=RecordKind.ITEM_RECEIVED, keep_days=1)
    services.retention_apply(now=NOW + timedelta(days=2))
    versions = list(ArchiveRecord.objects.order_by("seq").values_list("hash_version", flat=True))
    assert versions == [1, 1, 1, 1, 2]
    assert chain_verify(region_id=archived.region.pk).ok
    # A version-1 record's search text is outside its hash (that is what version 2 fixed);
    # its data is not.
    tamper(
        "UPDATE archive_archivepayload SET data = %s WHERE record_id = %s",
        [json.dumps({"text": "dipalsukan"}), rows[0].pk],
    )
    assert chain_verify(region_id=archived.region.pk).first_bad_seq == 1


# --- a head kept outside the database ---------------------------------------------------


def test_a_deleted_newest_record_with_the_heads_rewound_is_caught_by_the_head_file(
    archived: World, head_key: None, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    head = tmp_path / "kepala.json"
    call_command("archive", "head", "--out", str(head))
    assert json.loads(head.read_text())["regions"]["kota-uji"]["seq"] == 4
    _delete_newest_and_rewind(archived)
    # On its own the chain now looks whole: that is why the head lives elsewhere.
    assert chain_verify(region_id=archived.region.pk).ok
    with pytest.raises(SystemExit) as exit_info:
        call_command("archive", "verify", "--head", str(head))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "BROKEN at #4" in out and "catatan terbaru dihapus" in out


def test_a_rewritten_chain_is_caught_by_the_head_file(
    archived: World, head_key: None, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    head = tmp_path / "kepala.json"
    call_command("archive", "head", "--out", str(head))
    _delete_newest_and_rewind(archived)
    # ...and a fresh, valid record appended in its place, as a full rewrite would.
    services.record_redact(
        region_id=archived.region.pk,
        seq=1,
        fields=["text"],
        reason="penutup jejak",
        actor=archived.cora,
    )
    assert chain_verify(region_id=archived.region.pk).ok
    with pytest.raises(SystemExit):
        call_command("archive", "verify", "--head", str(head))
    assert "ditulis ulang" in capsys.readouterr().out


def test_an_untouched_chain_passes_its_head_file_and_later_records_are_fine(
    archived: World, head_key: None, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    head = tmp_path / "kepala.json"
    call_command("archive", "head", "--out", str(head))
    services.record_redact(
        region_id=archived.region.pk,
        seq=2,
        fields=["author_name"],
        reason="uji",
        actor=archived.cora,
    )
    call_command("archive", "verify", "--head", str(head))
    assert "chain intact" in capsys.readouterr().out


def test_a_forged_head_file_is_refused(archived: World, head_key: None, tmp_path: Path) -> None:
    head = tmp_path / "kepala.json"
    call_command("archive", "head", "--out", str(head))
    document = json.loads(head.read_text())
    document["regions"]["kota-uji"]["seq"] = 3
    head.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="Tanda tangan"):
        call_command("archive", "verify", "--head", str(head))


def test_writing_a_head_needs_a_key(archived: World, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_ARCHIVE_HEAD_KEY = ""
    with pytest.raises(CommandError, match="WARTA_ARCHIVE_HEAD_KEY"):
        call_command("archive", "head", "--out", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_an_export_line_with_a_changed_field_fails_offline_even_with_a_fixed_manifest(
    archived: World, tmp_path: Path
) -> None:
    import hashlib
    import zipfile

    from warta.archive.export import export_verify, export_write

    path = export_write(
        agency=archived.agency_a,
        start=NOW - timedelta(days=1),
        end=NOW + timedelta(days=1),
        dest_dir=tmp_path,
    )
    assert export_verify(path).ok
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    lines = members["records.jsonl"].decode().splitlines()
    row = json.loads(lines[0])
    row["channel_id"] = 999  # moved to another channel
    lines[0] = json.dumps(row, ensure_ascii=False, sort_keys=True)
    members["records.jsonl"] = ("\n".join(lines) + "\n").encode()
    manifest = json.loads(members["manifest.json"])
    manifest["files"]["records.jsonl"] = hashlib.sha256(members["records.jsonl"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    forged = tmp_path / "palsu.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    result = export_verify(forged)
    assert not result.ok and "diubah" in result.problems[0]
