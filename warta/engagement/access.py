"""One access function per object type of the inbox, requests and consultations.

Built on `warta.institutions.access`: outsiders get 404; read-only roles asking to edit 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
    InboxItem,
    InformationRequest,
    Objection,
    Reply,
    ReplyTemplate,
)
from warta.institutions.access import AnyUser, can_edit_agency, visible_agencies


@dataclass(frozen=True)
class Found[T]:
    obj: T
    can_edit: bool


def _finish[T](obj: T | None, agency_id: int | None, user: AnyUser, edit: bool) -> Found[T]:
    if obj is None or agency_id is None:
        raise Http404
    can_edit = can_edit_agency(user, agency_id)
    if edit and not can_edit:
        raise PermissionDenied
    return Found(obj=obj, can_edit=can_edit)


def get_inbox_item_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[InboxItem]:
    item = (
        InboxItem.objects.filter(agency__in=visible_agencies(user), pk=pk)
        .select_related("agency__region", "channel", "variant__post", "assignee", "parent")
        .first()
    )
    return _finish(item, item.agency_id if item else None, user, edit)


def get_reply_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[Reply]:
    reply = (
        Reply.objects.filter(item__agency__in=visible_agencies(user), pk=pk)
        .select_related("item__channel", "item__agency")
        .first()
    )
    return _finish(reply, reply.item.agency_id if reply else None, user, edit)


def get_reply_template_for_user(
    user: AnyUser, pk: int, *, edit: bool = False
) -> Found[ReplyTemplate]:
    template = ReplyTemplate.objects.filter(agency__in=visible_agencies(user), pk=pk).first()
    return _finish(template, template.agency_id if template else None, user, edit)


def get_info_request_for_user(
    user: AnyUser, pk: int, *, edit: bool = False
) -> Found[InformationRequest]:
    request = (
        InformationRequest.objects.filter(agency__in=visible_agencies(user), pk=pk)
        .select_related("agency__region", "inbox_item", "channel", "responsible")
        .first()
    )
    return _finish(request, request.agency_id if request else None, user, edit)


def get_objection_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[Objection]:
    objection = (
        Objection.objects.filter(request__agency__in=visible_agencies(user), pk=pk)
        .select_related("request__agency__region")
        .first()
    )
    return _finish(objection, objection.request.agency_id if objection else None, user, edit)


def get_consultation_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[Consultation]:
    consultation = (
        Consultation.objects.filter(agency__in=visible_agencies(user), pk=pk)
        .select_related("agency__region")
        .first()
    )
    return _finish(consultation, consultation.agency_id if consultation else None, user, edit)


def get_theme_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[ConsultationTheme]:
    theme = (
        ConsultationTheme.objects.filter(consultation__agency__in=visible_agencies(user), pk=pk)
        .select_related("consultation__agency")
        .first()
    )
    return _finish(theme, theme.consultation.agency_id if theme else None, user, edit)


def get_action_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[FollowUpAction]:
    action = (
        FollowUpAction.objects.filter(theme__consultation__agency__in=visible_agencies(user), pk=pk)
        .select_related("theme__consultation__agency")
        .first()
    )
    return _finish(action, action.theme.consultation.agency_id if action else None, user, edit)


def get_input_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Found[ConsultationInput]:
    found = (
        ConsultationInput.objects.filter(consultation__agency__in=visible_agencies(user), pk=pk)
        .select_related("consultation")
        .first()
    )
    return _finish(found, found.consultation.agency_id if found else None, user, edit)
