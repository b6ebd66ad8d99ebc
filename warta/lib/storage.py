"""Where files live, and how they are written so that a full disk leaves nothing half-written.

Private files (imports, reports, exports) live beside MEDIA_ROOT, never in it. Every
storage writes a file under a temporary name in its folder and gives it its real name
only once it is complete: a write that fails (the disk is full, a quota is reached)
removes the temporary file and raises DiskFull, which the web layer answers with a
clear page (warta.core.middleware.DiskFullMiddleware) instead of a 500.
"""

import errno
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFull(OSError):
    """No room left where a file was being written; nothing of it remains."""


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


def private_root() -> Path:
    """Beside, not inside, MEDIA_ROOT: the reverse proxy serves MEDIA_ROOT to anyone."""
    return Path(settings.MEDIA_ROOT).parent / "private"


class SafeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that publishes a file only when all of it is on disk."""

    def _open_partial(self, directory: str) -> tuple[str, IO[bytes]]:
        fd, partial = tempfile.mkstemp(dir=directory, prefix=".partial-")
        return partial, os.fdopen(fd, "wb")

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            os.makedirs(directory, exist_ok=True)
            partial, out = self._open_partial(directory)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(exc.errno, exc.strerror, name) from exc
            raise
        try:
            with out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            while True:
                try:
                    os.link(partial, full_path)  # fails, like O_EXCL, if the name is taken
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(exc.errno, exc.strerror, name) from exc
            raise
        finally:
            Path(partial).unlink(missing_ok=True)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        name = os.path.relpath(full_path, self.location)
        self._ensure_location_group_id(full_path)  # type: ignore[attr-defined]
        return str(name).replace("\\", "/")


class PrivateFileSystemStorage(SafeFileSystemStorage):
    """Files under private_root(): warta reads them itself and never links them."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(private_root())

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None
