import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from warta.archive import services
from warta.archive.export import export_verify, export_write
from warta.archive.models import ArchivePayload, ArchiveRecord, RecordKind, RetentionRule
from warta.archive.tests.conftest import NOW, sync_later, tamper
from warta.archive.verify import chain_verify
from warta.content.models import MediaAsset, PostMedia, PostVariant
from warta.engagement.models import InboxItem, Reply
from warta.strategy.models import StrategyVersion
from warta.testing.fixtures import World


def test_it_records_published_posts_and_public_comments_once(archived: World) -> None:
    kinds = list(ArchiveRecord.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds.count(RecordKind.VARIANT_PUBLISHED) == 2
    assert kinds.count(RecordKind.ITEM_RECEIVED) == 2
    assert sync_later() == 0  # nothing new: nothing recorded twice


def test_it_records_later_edits_and_deletions_seen_on_the_platform(archived: World) -> None:
    item = InboxItem.objects.get(platform_item_id="c1")
    item.hidden_on_platform = True
    item.save()
    variant = PostVariant.objects.get(caption__startswith="Vaksinasi")
    variant.caption = "Vaksinasi gratis (jadwal diperbarui)"
    variant.save()
    assert sync_later() == 2
    history = ArchiveRecord.objects.filter(subject=f"variant:{variant.pk}").order_by("seq")
    assert [r.kind for r in history] == [RecordKind.VARIANT_PUBLISHED, RecordKind.VARIANT_CHANGED]
    first, second = (r.payload.data["caption"] for r in history)
    assert first.startswith("Vaksinasi gratis di") and "diperbarui" in second


def test_the_chain_verifies_when_untouched(archived: World) -> None:
    result = chain_verify(region_id=archived.region.pk)
    assert result.ok and result.checked == 4


def test_the_database_refuses_to_update_a_record(archived: World) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        ArchiveRecord.objects.filter(seq=1).update(kind="redaction")


def test_verify_names_a_changed_payload(archived: World) -> None:
    record = ArchiveRecord.objects.get(region=archived.region, seq=2)
    data = dict(record.payload.data, text="komentar yang dipalsukan")
    tamper(
        "UPDATE archive_archivepayload SET data = %s WHERE record_id = %s",
        [json.dumps(data), record.pk],
    )
    result = chain_verify(region_id=archived.region.pk)
    assert not result.ok and result.first_bad_seq == 2
    assert "#2" in result.problems[0] and "diubah" in result.problems[0]


def test_verify_names_a_removed_record(archived: World) -> None:
    tamper(
        "DELETE FROM archive_archivepayload WHERE record_id IN (SELECT id FROM archive_archiverecord WHERE seq = 3)",
        [],
    )
    tamper("DELETE FROM archive_archiverecord WHERE seq = 3", [])
    result = chain_verify(region_id=archived.region.pk)
    assert result.first_bad_seq == 3 and "hilang" in result.problems[0]


def test_verify_notices_the_newest_records_cut_off(archived: World) -> None:
    tamper(
        "DELETE FROM archive_archivepayload WHERE record_id IN (SELECT id FROM archive_archiverecord WHERE seq = 4)",
        [],
    )
    tamper("DELETE FROM archive_archiverecord WHERE seq = 4", [])
    result = chain_verify(region_id=archived.region.pk)
    assert not result.ok and "terakhir dihapus" in result.problems[0]


def test_the_verify_command_exits_non_zero_on_a_broken_chain(archived: World, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("archive", "verify")
    assert "chain intact" in capsys.readouterr().out
    tamper("UPDATE archive_archiverecord SET subject = 'variant:999' WHERE seq = 1", [])
    with pytest.raises(SystemExit) as exit_info:
        call_command("archive", "verify")
    assert exit_info.value.code == 1
    assert "BROKEN at #1" in capsys.readouterr().out


def _export(world: World, tmp_path: Path, **kw) -> Path:  # type: ignore[no-untyped-def]
    return export_write(
        agency=world.agency_a,
        start=NOW - timedelta(days=1),
        end=NOW + timedelta(days=1),
        dest_dir=tmp_path,
        **kw,
    )


def test_an_export_holds_only_the_agency_and_verifies_offline(
    archived: World, tmp_path: Path
) -> None:
    path = _export(archived, tmp_path)
    with zipfile.ZipFile(path) as zf:
        lines = zf.read("records.jsonl").decode().splitlines()
        csv_text = zf.read("records.csv").decode()
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["records"] == 2 and len(lines) == 2
    assert all(json.loads(line)["payload"]["agency"] == "Dinkes" for line in lines)
    assert "PPDB" not in csv_text
    assert export_verify(path).ok


def test_a_tampered_export_is_named(archived: World, tmp_path: Path) -> None:
    path = _export(archived, tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["records.jsonl"] = members["records.jsonl"].replace(b"Vaksinasi", b"Vaksin palsu")
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    result = export_verify(forged)
    assert not result.ok and "records.jsonl" in result.problems[0]


def test_an_export_neutralises_spreadsheet_formulas(archived: World, tmp_path: Path) -> None:
    path = export_write(
        agency=archived.agency_b,
        start=NOW - timedelta(days=1),
        end=NOW + timedelta(days=1),
        dest_dir=tmp_path,
    )
    with zipfile.ZipFile(path) as zf:
        assert "'=HYPERLINK" in zf.read("records.csv").decode()


def test_an_interrupted_export_leaves_no_file_posing_as_complete(
    archived: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr("warta.archive.export._csv_row", boom)
    with pytest.raises(OSError):
        _export(archived, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_redaction_withholds_fields_in_exports_without_breaking_the_chain(
    archived: World, tmp_path: Path
) -> None:
    seq = ArchiveRecord.objects.get(
        subject=f"item:{InboxItem.objects.get(platform_item_id='c1').pk}"
    ).seq
    services.record_redact(
        region_id=archived.region.pk,
        seq=seq,
        fields=["author_name", "author_handle"],
        reason="Permintaan penghapusan data pribadi",
        actor=archived.cora,
    )
    assert chain_verify(region_id=archived.region.pk).ok
    path = _export(archived, tmp_path)
    with zipfile.ZipFile(path) as zf:
        rows = [json.loads(line) for line in zf.read("records.jsonl").decode().splitlines()]
    item = next(r for r in rows if r["kind"] == RecordKind.ITEM_RECEIVED)
    assert item["payload"]["author_name"] == "[DISUNTING]"
    assert "Warga Bontang" not in json.dumps(rows)
    assert export_verify(path).ok


def test_retention_purges_contents_but_verification_tells_it_from_tampering(
    archived: World,
) -> None:
    RetentionRule.objects.create(
        region=archived.region, kind=RecordKind.ITEM_RECEIVED, keep_days=30
    )
    assert services.retention_apply(now=NOW + timedelta(days=31)) == 2
    assert not ArchivePayload.objects.filter(record__kind=RecordKind.ITEM_RECEIVED).exists()
    result = chain_verify(region_id=archived.region.pk)
    assert result.ok and result.purged == 2


def test_it_records_replies_sent_and_media_with_their_hashes(archived: World) -> None:
    item = InboxItem.objects.get(platform_item_id="c1")
    Reply.objects.create(
        item=item,
        text="Buka pukul 08.00 WITA.",
        author=archived.alice,
        status=Reply.Status.SENT,
        sent_at=timezone.now(),
        platform_reply_id="r1",
    )
    variant = PostVariant.objects.get(caption__startswith="Vaksinasi")
    asset = MediaAsset.objects.create(
        agency=archived.agency_a,
        file="agency/foto.jpg",
        mime_type="image/jpeg",
        sha256="ab" * 32,
        original_name="foto.jpg",
        kind="image",
        size_bytes=10,
    )
    PostMedia.objects.create(post=variant.post, media=asset, position=0)
    variant.save()  # the archiver notices the changed post
    assert sync_later() == 2
    reply = ArchiveRecord.objects.get(kind=RecordKind.REPLY_SENT)
    assert reply.thread == f"variant:{variant.pk}"
    assert reply.payload.data["by"] == "alice"
    changed = ArchiveRecord.objects.get(kind=RecordKind.VARIANT_CHANGED)
    assert changed.payload.data["media"][0]["sha256"] == "ab" * 32


def test_it_records_every_strategy_version_and_its_decision(archived: World) -> None:
    version = StrategyVersion.objects.create(
        region=archived.region,
        agency=archived.agency_a,
        number=1,
        data={"purpose": "Melayani"},
        reason="Konsep awal",
        author=archived.alice,
    )
    assert sync_later() == 1
    version.status = StrategyVersion.Status.ACCEPTED
    version.decided_by = archived.cora
    version.decided_at = timezone.now()
    version.save()
    assert sync_later() == 1
    states = [
        r.payload.data["status"]
        for r in ArchiveRecord.objects.filter(kind=RecordKind.STRATEGY_VERSION).order_by("seq")
    ]
    assert states == ["proposed", "accepted"]
