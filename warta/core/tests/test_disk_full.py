"""A full disk (issue 17, finding 7): uploads answer a clear page and leave no partial file;
exports leave nothing under the temporary folder; /healthz says the disk is low."""

import errno
from pathlib import Path
from typing import IO, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from warta.analytics.models import MetricImport
from warta.content.models import MediaAsset
from warta.content.tests.test_media import png
from warta.lib.storage import DiskFull, SafeFileSystemStorage, private_root
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db


class _FillingFile:
    """A file on a disk with `room` bytes left: it writes them, then fails as Linux does."""

    def __init__(self, real: IO[bytes], room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.real.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.real.write(data)

    def __enter__(self) -> "_FillingFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The disk fills after `after` whole files and `room` more bytes."""
    state = {"after": 0, "room": 1000, "opened": 0}
    real_open = SafeFileSystemStorage._open_partial

    def open_partial(self: SafeFileSystemStorage, directory: str) -> tuple[str, Any]:
        partial, out = real_open(self, directory)
        state["opened"] += 1
        if state["opened"] > state["after"]:
            return partial, _FillingFile(out, state["room"])
        return partial, out

    monkeypatch.setattr(SafeFileSystemStorage, "_open_partial", open_partial)
    return state


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("fails_at", ["picture", "thumbnail"])
def test_an_upload_on_a_full_disk_answers_clearly_and_leaves_no_file(
    world: World, alice_client: Client, settings: Any, full_disk: Any, fails_at: str
) -> None:
    full_disk["after"] = 0 if fails_at == "picture" else 1
    response = alice_client.post(
        reverse("content:media_library"),
        {"agency": world.agency_a.pk, "file": SimpleUploadedFile("poster.png", png())},
    )
    assert response.status_code == 507
    assert "Penyimpanan server penuh" in response.text
    assert "tidak disimpan" in response.text
    assert not MediaAsset.objects.exists()
    assert _files(Path(settings.MEDIA_ROOT)) == []  # no partial picture, no orphan


def test_a_metric_export_on_a_full_disk_leaves_no_job_and_no_file(
    world: World, settings: Any, full_disk: Any
) -> None:
    from warta.analytics.imports.services import metric_import_create

    data = b"Post ID,Publish time,Reach\n" + b"1,2026-10-01 10:00,5\n" * 200
    with pytest.raises(DiskFull):
        metric_import_create(
            channel=world.channel_a, data=data, filename="ekspor.csv", actor=world.alice
        )
    assert not MetricImport.objects.exists()
    assert _files(private_root()) == []


def test_the_storage_still_saves_whole_files_under_their_own_names(settings: Any) -> None:
    from django.core.files.base import ContentFile

    storage = SafeFileSystemStorage()
    first = storage.save("a/x.txt", ContentFile(b"satu"))
    second = storage.save("a/x.txt", ContentFile(b"dua"))
    assert first == "a/x.txt" and second != first
    assert storage.open(first).read() == b"satu" and storage.open(second).read() == b"dua"
    assert sorted(p.name for p in _files(Path(settings.MEDIA_ROOT))) == sorted(
        [Path(first).name, Path(second).name]
    )
