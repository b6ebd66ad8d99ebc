"""Writes of the inbox: assigning, replying, moderating, finishing.

Ingestion and annotation live in `ingest.py`, information requests in `ppid.py`,
consultations in `consultations/`.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils.translation import gettext as _

from warta.channels.models import WhatsAppTemplate
from warta.connectors.base import ConnectorError, NotSupported, TransientError
from warta.core.services import audit_record, snapshot
from warta.engagement import moderation, platform, whatsapp
from warta.engagement.models import InboxItem, Reply, ReplyTemplate, SavedView
from warta.institutions.access import editable_agencies
from warta.lib import clock
from warta.lib.platforms import API_MODES, Platform

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

MAX_REPLY_CHARS = 2000
MAX_REPLY_ATTEMPTS = 5


def _require_editable(item: InboxItem, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=item.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah pesan ini."))


def inbox_item_assign(*, item: InboxItem, assignee: User | None, actor: Actor) -> InboxItem:
    _require_editable(item, actor)
    if assignee is not None and not editable_agencies(assignee).filter(pk=item.agency_id).exists():
        raise ValidationError(
            {"assignee": _("Petugas ini tidak dapat menangani pesan perangkat daerah ini.")}
        )
    before = snapshot(item, fields=["assignee", "status"])
    item.assignee = assignee
    if item.status in {InboxItem.Status.NEW, InboxItem.Status.ASSIGNED}:
        item.status = InboxItem.Status.ASSIGNED if assignee else InboxItem.Status.NEW
    item.save(update_fields=["assignee", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.assign",
        obj=item,
        before=before,
        after=snapshot(item, fields=["assignee", "status"]),
    )
    return item


def inbox_item_set_done(*, item: InboxItem, actor: Actor, done: bool = True) -> InboxItem:
    _require_editable(item, actor)
    before = snapshot(item, fields=["status"])
    if done:
        item.status = InboxItem.Status.DONE
        item.done_at = clock.now()
    else:
        item.status = InboxItem.Status.ASSIGNED if item.assignee_id else InboxItem.Status.NEW
        item.done_at = None
    item.save(update_fields=["status", "done_at", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.done" if done else "inbox.reopen",
        obj=item,
        before=before,
        after=snapshot(item, fields=["status"]),
    )
    return item


def inbox_item_record_response(*, item: InboxItem, actor: Actor) -> InboxItem:
    """For channels warta cannot reply through: the officer answered on the platform."""
    _require_editable(item, actor)
    InboxItem.objects.filter(pk=item.pk, first_response_at__isnull=True).update(
        first_response_at=clock.now(), updated_at=clock.now()
    )
    item.refresh_from_db()
    audit_record(actor=actor, action="inbox.response_recorded", obj=item)
    return item


def inbox_item_hide(*, item: InboxItem, actor: Actor, hidden: bool = True) -> InboxItem:
    """Hide (or show again) a comment on the platform, where rules and platform allow."""
    _require_editable(item, actor)
    if hidden and not moderation.may_hide(item):
        raise ValidationError(
            _(
                "Aturan moderasi strategi tidak mengizinkan menyembunyikan pesan ini: hanya pesan "
                "kasar, ujaran kebencian atau spam yang boleh disembunyikan."
            )
        )
    try:
        platform.connector_for(item.channel).hide_comment(item.platform_item_id, hidden=hidden)
    except NotSupported:
        raise ValidationError(
            _("Platform ini tidak mendukung menyembunyikan komentar lewat warta.")
        ) from None
    except ConnectorError as exc:
        raise ValidationError(_("Platform menolak: %(msg)s") % {"msg": exc.localized}) from None
    before = snapshot(item, fields=["status", "hidden_on_platform"])
    item.hidden_on_platform = hidden
    if hidden:
        item.status = InboxItem.Status.HIDDEN
    elif item.status == InboxItem.Status.HIDDEN:
        item.status = InboxItem.Status.ASSIGNED if item.assignee_id else InboxItem.Status.NEW
    item.save(update_fields=["hidden_on_platform", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="inbox.hide" if hidden else "inbox.unhide",
        obj=item,
        before=before,
        after=snapshot(item, fields=["status", "hidden_on_platform"]),
    )
    return item


def inbox_item_delete_on_platform(*, item: InboxItem, actor: Actor) -> InboxItem:
    """Delete a comment on the platform; warta keeps its own copy (nothing is lost)."""
    _require_editable(item, actor)
    if not moderation.may_delete(item):
        raise ValidationError(
            _(
                "Aturan moderasi strategi tidak mengizinkan menghapus pesan ini: hanya spam yang "
                "boleh dihapus."
            )
        )
    connector = platform.connector_for(item.channel)
    delete_comment = getattr(connector, "delete_comment", None)
    try:
        if delete_comment is None:
            raise NotSupported("delete_comment")
        delete_comment(item.platform_item_id)
    except NotSupported:
        raise ValidationError(
            _("Platform ini tidak mendukung menghapus komentar lewat warta.")
        ) from None
    except ConnectorError as exc:
        raise ValidationError(_("Platform menolak: %(msg)s") % {"msg": exc.localized}) from None
    item.deleted_on_platform_at = clock.now()
    item.status = InboxItem.Status.HIDDEN
    item.save(update_fields=["deleted_on_platform_at", "status", "updated_at"])
    audit_record(actor=actor, action="inbox.delete_on_platform", obj=item)
    return item


# --- Replies ---------------------------------------------------------------------------


def reply_create(
    *,
    item: InboxItem,
    text: str,
    actor: Actor,
    idempotency_key: uuid.UUID | None = None,
    wa_template: WhatsAppTemplate | None = None,
) -> Reply:
    """Queue a reply; the same key (a resubmitted form) returns the first reply, unsent twice.

    WhatsApp: free text inside the 24-hour window, else only `wa_template` (approved), whose
    `{{1}}` the text fills; nothing to a citizen who opted out.
    """
    _require_editable(item, actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Balasan tidak boleh kosong.")})
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError(
            {
                "text": _("Balasan terlalu panjang (maksimal %(n)d karakter).")
                % {"n": MAX_REPLY_CHARS}
            }
        )
    if item.channel.mode not in API_MODES:
        raise ValidationError(
            _(
                "Kanal ini tidak tersambung lewat API: balas langsung di platform, lalu catat "
                "bahwa pesan sudah ditanggapi."
            )
        )
    key = idempotency_key or uuid.uuid4()
    existing = Reply.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.item_id != item.pk:
            raise ValidationError(_("Formulir balasan ini sudah dipakai untuk pesan lain."))
        return existing
    if whatsapp.is_whatsapp(item.channel):
        whatsapp.reply_check(item=item, template=wa_template)
    else:
        wa_template = None
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                item=item,
                text=text,
                author=actor if isinstance(actor, User) else None,
                idempotency_key=key,
                wa_template=wa_template,
            )
    except IntegrityError:
        return Reply.objects.get(idempotency_key=key)
    audit_record(
        actor=actor, action="inbox.reply", obj=item, after={"reply": reply.pk, "text": text}
    )
    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    return reply


def reply_send(*, reply_id: int) -> Reply:
    """Send a queued reply once: claimed by a conditional update, so two workers never both send."""
    claimed = Reply.objects.filter(pk=reply_id, status=Reply.Status.PENDING).update(
        status=Reply.Status.SENDING, attempts=F("attempts") + 1, updated_at=clock.now()
    )
    reply = Reply.objects.select_related("item__channel", "wa_template").get(pk=reply_id)
    if not claimed:
        return reply
    item = reply.item
    on_whatsapp = whatsapp.is_whatsapp(item.channel)
    try:
        if on_whatsapp:
            remote_id = whatsapp.send_reply(reply)
        else:
            remote_id = (
                platform.connector_for(item.channel)
                .reply(
                    platform_item_id=item.platform_item_id,
                    text=reply.text,
                    idempotency_key=str(reply.idempotency_key),
                )
                .platform_item_id
            )
    except TransientError as exc:
        if on_whatsapp and exc.outcome_unknown:
            # The Cloud API takes no idempotency key: sending again might deliver twice.
            reply.status, reply.error = Reply.Status.FAILED, whatsapp.UNKNOWN_OUTCOME
            reply.save(update_fields=["status", "error", "updated_at"])
            return reply
        # The same idempotency key goes with the retry, so the platform will not post twice.
        reply.status = (
            Reply.Status.FAILED if reply.attempts >= MAX_REPLY_ATTEMPTS else Reply.Status.PENDING
        )
        reply.error = exc.message
        reply.save(update_fields=["status", "error", "updated_at"])
        return reply
    except ConnectorError as exc:
        reply.status = Reply.Status.FAILED
        reply.error = exc.message
        reply.save(update_fields=["status", "error", "updated_at"])
        return reply
    now = clock.now()
    reply.status = Reply.Status.SENT
    reply.platform_reply_id = remote_id
    reply.sent_at = now
    reply.error = ""
    reply.save(update_fields=["status", "platform_reply_id", "sent_at", "error", "updated_at"])
    InboxItem.objects.filter(pk=item.pk, first_response_at__isnull=True).update(
        first_response_at=now, updated_at=now
    )
    return reply


# The task sits beside the services that enqueue it (creating, retrying); tasks.py, which
# imports this module, re-exports it, so its stored path warta.engagement.tasks.send_reply
# keeps resolving.
@task
def send_reply(reply_id: int) -> str:
    return reply_send(reply_id=reply_id).status


def reply_retry(*, reply: Reply, actor: Actor) -> Reply:
    """An officer asks to try a failed reply again (same key: never a second copy)."""
    _require_editable(reply.item, actor)
    moved = Reply.objects.filter(pk=reply.pk, status=Reply.Status.FAILED).update(
        status=Reply.Status.PENDING, attempts=0, updated_at=clock.now()
    )
    if not moved:
        raise ValidationError(_("Hanya balasan yang gagal yang dapat dikirim ulang."))
    audit_record(actor=actor, action="inbox.reply_retry", obj=reply.item)
    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    reply.refresh_from_db()
    return reply


def replies_retry_due(*, now: datetime | None = None) -> int:
    """Re-queue replies that met a passing error, and ones a dead worker left mid-send."""
    now = now or clock.now()
    stale = Reply.objects.filter(
        status=Reply.Status.SENDING, updated_at__lt=now - timedelta(minutes=15)
    )
    # WhatsApp takes no idempotency key: a send a dead worker left may have arrived, so a
    # person checks instead of warta sending it again.
    stale.filter(item__channel__platform=Platform.WHATSAPP).update(
        status=Reply.Status.FAILED, error=whatsapp.UNKNOWN_OUTCOME, updated_at=now
    )
    stale_ids = list(
        Reply.objects.filter(
            status=Reply.Status.SENDING, updated_at__lt=now - timedelta(minutes=15)
        ).values_list("id", flat=True)[:200]
    )
    # Its key went with the first attempt, so the platform returns that reply, not a new one.
    Reply.objects.filter(pk__in=stale_ids, status=Reply.Status.SENDING).update(
        status=Reply.Status.PENDING, updated_at=now
    )
    ids = stale_ids + list(
        Reply.objects.filter(
            status=Reply.Status.PENDING, updated_at__lt=now - timedelta(minutes=2)
        ).values_list("id", flat=True)[:200]
    )
    for pk in ids:
        send_reply.enqueue(pk)
    return len(set(ids))


# --- Templates and saved views -------------------------------------------------------


def reply_template_create(*, agency_id: int, title: str, body: str, actor: Actor) -> ReplyTemplate:
    if actor is None or not editable_agencies(actor).filter(pk=agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah templat perangkat daerah ini."))
    title, body = title.strip(), body.strip()
    errors = {}
    if not title:
        errors["title"] = _("Judul wajib diisi.")
    if not body:
        errors["body"] = _("Isi wajib diisi.")
    elif len(body) > MAX_REPLY_CHARS:
        errors["body"] = _("Isi terlalu panjang.")
    if ReplyTemplate.objects.filter(agency_id=agency_id, title=title).exists():
        errors["title"] = _("Sudah ada templat dengan judul ini.")
    if errors:
        raise ValidationError(errors)
    template = ReplyTemplate.objects.create(
        agency_id=agency_id,
        title=title[:120],
        body=body,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(actor=actor, action="inbox.template_create", obj=template)
    return template


def reply_template_delete(*, template: ReplyTemplate, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=template.agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengubah templat perangkat daerah ini."))
    audit_record(actor=actor, action="inbox.template_delete", obj=template)
    template.delete()


def saved_view_create(*, owner: User, name: str, query: str) -> SavedView:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Nama tampilan wajib diisi.")})
    view, _created = SavedView.objects.update_or_create(
        owner=owner, name=name[:80], defaults={"query": query[:1000]}
    )
    return view


def saved_view_delete(*, view: SavedView) -> None:
    view.delete()


def inbox_due_for_reminder(*, now: datetime, lead: timedelta) -> Q:
    return Q(
        first_response_at__isnull=True,
        response_due_at__isnull=False,
        response_due_at__lte=now + lead,
        reminder_sent_at__isnull=True,
        status__in=[InboxItem.Status.NEW, InboxItem.Status.ASSIGNED],
    )
