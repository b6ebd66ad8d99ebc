"""Access tokens kept alive: refreshed before they expire, the rotated refresh token stored at once.

X's OAuth 2.0 access tokens live two hours and TikTok's a day; each refresh answers a new
refresh token and the old one stops working
(https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token,
https://developers.tiktok.com/doc/oauth-user-access-token-management). A channel whose
token is not refreshed in time has to be reconnected by a person; one whose new refresh
token is lost can never be refreshed again. So:

- the refresh runs REFRESH_AHEAD before the expiry, from a periodic job;
- the new tokens are stored by a compare-and-swap on the credentials that were read, so
  two runs that overlap never overwrite a newer token with an older one, and a refusal
  that only means "another run already used this refresh token" is not held against the
  channel;
- a refusal of the refresh token itself marks the channel for reconnecting (the expiry
  notices of content.notifications then say so to its officers).
"""

from datetime import timedelta

from warta.channels.models import Channel
from warta.channels.services import channel_account, channel_call_failed
from warta.connectors.base import ConnectorError, NotSupported, connector_class
from warta.core.services import audit_record
from warta.lib import clock, crypto
from warta.lib.platforms import ConnectionMode

REFRESH_AHEAD = timedelta(minutes=30)


def channel_token_refresh(*, channel: Channel) -> bool:
    """Refresh one channel's access token; True when new tokens were stored."""
    account = channel_account(channel)
    if not account.credentials.get("refresh_token"):
        return False
    read = channel.credentials_encrypted
    try:
        tokens = connector_class(channel.platform, mode=channel.mode)(account).refresh_token()
    except NotSupported:
        return False
    except ConnectorError as error:
        if Channel.objects.filter(pk=channel.pk, credentials_encrypted=read).exists():
            channel_call_failed(channel=channel, error=error)
        return False  # else another run refreshed first: its tokens stand
    credentials = {**account.credentials, "access_token": tokens.access_token}
    if tokens.refresh_token:
        credentials["refresh_token"] = tokens.refresh_token
    stored = Channel.objects.filter(pk=channel.pk, credentials_encrypted=read).update(
        credentials_encrypted=crypto.encrypt_json(credentials),
        token_expires_at=tokens.expires_at,
        token_notice_days=None,
        failed_calls=0,
    )
    if stored:
        audit_record(
            actor=None,
            action="channel.token_refreshed",
            obj=channel,
            after={"expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None},
        )
    return bool(stored)


def channel_tokens_refresh() -> int:
    """Refresh every connected channel's token that expires within REFRESH_AHEAD."""
    due = Channel.objects.filter(
        status=Channel.Status.ACTIVE,
        mode=ConnectionMode.API,
        token_expires_at__isnull=False,
        token_expires_at__lte=clock.now() + REFRESH_AHEAD,
    ).select_related("agency")
    return sum(channel_token_refresh(channel=channel) for channel in due)
