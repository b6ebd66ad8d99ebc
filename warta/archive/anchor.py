"""The chain's head written down outside the database, so that a rewrite shows.

An intruder who can write to the database can delete the newest records and rewind the
head tables, or recompute every hash: the chain then checks out on its own. A head file
written regularly (`warta archive head`, by cron) to another machine or to write-once
storage records (seq, hash) of each region's newest record at that moment;
`warta archive verify --head FILE` then demands that the chain still holds exactly that
record. The file is signed with HMAC-SHA256 under WARTA_ARCHIVE_HEAD_KEY, so a file
made up later does not pass for one warta wrote.
"""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from warta.archive import chain
from warta.archive.models import ArchiveRecord
from warta.archive.verify import Anchor
from warta.institutions.models import Region
from warta.lib import clock

FORMAT = "warta-archive-head/1"


class HeadFileError(Exception):
    """The head file cannot be used (the message says why, for the operator)."""


def _key() -> bytes:
    key = settings.WARTA_ARCHIVE_HEAD_KEY
    if len(key) < 32:
        raise HeadFileError(
            _(
                "WARTA_ARCHIVE_HEAD_KEY (atau WARTA_ARCHIVE_HEAD_KEY_FILE) harus berisi kunci "
                "acak minimal 32 karakter untuk menandatangani kepala rantai."
            )
        )
    return key.encode()


def _signature(body: dict[str, Any]) -> str:
    return hmac.new(_key(), chain.canonical(body), hashlib.sha256).hexdigest()


def head_document(regions: list[Region]) -> dict[str, Any]:
    """Each region's newest record as the records table holds it (not the head tables)."""
    heads: dict[str, Any] = {}
    for region in regions:
        newest = (
            ArchiveRecord.objects.filter(region=region)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        if newest is not None:
            heads[region.slug] = {"seq": newest[0], "hash": newest[1]}
    body = {"format": FORMAT, "written_at": chain.timestamp(clock.now()), "regions": heads}
    return {**body, "signature": _signature(body)}


def head_read(text: str) -> dict[str, Anchor]:
    """The anchors of a head file, by region slug; HeadFileError if it is not warta's."""
    try:
        document = json.loads(text)
        body = {k: v for k, v in document.items() if k != "signature"}
        signature = str(document["signature"])
        regions = body["regions"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HeadFileError(_("Berkas kepala rantai rusak atau bukan buatan warta.")) from exc
    if body.get("format") != FORMAT:
        raise HeadFileError(_("Format berkas kepala rantai tidak dikenal."))
    if not hmac.compare_digest(signature, _signature(body)):
        raise HeadFileError(
            _(
                "Tanda tangan berkas kepala rantai tidak cocok: berkas diubah atau dibuat orang lain."
            )
        )
    try:
        return {
            slug: Anchor(seq=int(head["seq"]), hash=str(head["hash"]))
            for slug, head in regions.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HeadFileError(_("Berkas kepala rantai rusak atau bukan buatan warta.")) from exc
