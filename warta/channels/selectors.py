"""Reads of channels, always scoped by the agency boundary."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from warta.channels.models import Channel
from warta.institutions.access import AnyUser, can_edit_agency, visible_agencies


def visible_channels(user: AnyUser) -> QuerySet[Channel]:
    return Channel.objects.filter(agency__in=visible_agencies(user)).select_related("agency")


@dataclass(frozen=True)
class ChannelAccess:
    channel: Channel
    can_edit: bool


def get_channel_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> ChannelAccess:
    """The channel if the user may read it (404 otherwise); 403 when edit is asked and denied."""
    channel = visible_channels(user).filter(pk=pk).first()
    if channel is None:
        raise Http404
    can_edit = can_edit_agency(user, channel.agency_id)
    if edit and not can_edit:
        raise PermissionDenied
    return ChannelAccess(channel=channel, can_edit=can_edit)
