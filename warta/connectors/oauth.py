"""Connecting accounts: OAuth authorization URLs and code exchange, token-entry checks.

The pure logic of the connect flows; the channel UI calls it and stores the result.

    start = authorization_start(Platform.X, redirect_uri=callback_url)
    request.session["oauth"] = {"state": start.state, "verifier": start.code_verifier}
    return redirect(start.url)
    ...  # the platform redirects back with ?code=...&state=...
    check_state(expected=saved["state"], received=request.GET.get("state", ""))
    accounts = exchange_code(Platform.X, code=request.GET["code"], redirect_uri=callback_url,
                             code_verifier=saved["verifier"])
    # each ConnectableAccount: external_id, handle, url, credentials (store encrypted),
    # token_expires_at. Meta returns one per Page (or Instagram account) the person manages.

Token entry (no OAuth, Telegram and Mastodon): warta/connectors/token_entry.py.

The apps' client ids and secrets come from settings.WARTA_OAUTH_CLIENTS (environment
WARTA_<PROVIDER>_CLIENT_ID / _CLIENT_SECRET, provider meta, x, google, tiktok); a
channel's credentials may carry their own `client_id`/`client_secret` instead.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors.base import (
    Account,
    AuthError,
    NotSupported,
    PermanentError,
    TokenSet,
    connector_class,
)
from warta.lib import clock
from warta.lib.platforms import Platform

META_GRAPH = "https://graph.facebook.com/v21.0"


@dataclass(frozen=True)
class Provider:
    name: str  # key in settings.WARTA_OAUTH_CLIENTS
    authorize_url: str
    scopes: tuple[str, ...]
    scope_separator: str = " "
    pkce: bool = False
    client_id_param: str = "client_id"
    extra: dict[str, str] = field(default_factory=dict)


_META_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "read_insights",
    "business_management",
)
PROVIDERS: dict[str, Provider] = {
    Platform.FACEBOOK: Provider(
        "meta", "https://www.facebook.com/v21.0/dialog/oauth", _META_SCOPES, scope_separator=","
    ),
    Platform.INSTAGRAM: Provider(
        "meta",
        "https://www.facebook.com/v21.0/dialog/oauth",
        (
            *_META_SCOPES,
            "instagram_basic",
            "instagram_content_publish",
            "instagram_manage_comments",
            "instagram_manage_insights",
        ),
        scope_separator=",",
    ),
    Platform.X: Provider(
        "x",
        "https://x.com/i/oauth2/authorize",
        (
            "tweet.read",
            "tweet.write",
            "users.read",
            "media.write",
            "tweet.moderate.write",
            "offline.access",
        ),
        pkce=True,
    ),
    Platform.YOUTUBE: Provider(
        "google",
        "https://accounts.google.com/o/oauth2/v2/auth",
        (
            "https://www.googleapis.com/auth/youtube.upload",
            "https://www.googleapis.com/auth/youtube.force-ssl",
            "https://www.googleapis.com/auth/youtube.readonly",
        ),
        pkce=True,
        # offline + consent: Google only hands out a refresh token when asked this way.
        extra={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
    ),
    Platform.TIKTOK: Provider(
        "tiktok",
        "https://www.tiktok.com/v2/auth/authorize/",
        ("user.info.basic", "user.info.stats", "video.publish", "video.list"),
        scope_separator=",",
        client_id_param="client_key",
    ),
    # https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
    "threads": Provider(
        "threads",
        "https://threads.net/oauth/authorize",
        (
            "threads_basic",
            "threads_content_publish",
            "threads_manage_replies",
            "threads_read_replies",
            "threads_manage_insights",
        ),
        scope_separator=",",
    ),
}


@dataclass(frozen=True)
class AuthorizationStart:
    url: str
    state: str
    code_verifier: str = ""  # keep with the state (server-side session); "" without PKCE


@dataclass(frozen=True)
class ConnectableAccount:
    platform: str
    external_id: str
    handle: str
    credentials: dict[str, Any]
    url: str = ""
    token_expires_at: datetime | None = None
    followers: int | None = None


def client_credentials(account: Account | None, provider: str) -> tuple[str, str]:
    """(client_id, client_secret) for a provider: the channel's own, else the settings'."""
    creds = account.credentials if account else {}
    if creds.get("client_id"):
        return str(creds["client_id"]), str(creds.get("client_secret") or "")
    configured = getattr(settings, "WARTA_OAUTH_CLIENTS", {}).get(provider) or {}
    if not configured.get("client_id"):
        raise NotSupported(
            m.OAUTH_NOT_CONFIGURED(provider=provider, setting=f"WARTA_{provider.upper()}_CLIENT_ID")
        )
    return str(configured["client_id"]), str(configured.get("client_secret") or "")


def token_set(body: dict[str, Any], *, previous_refresh: str = "") -> TokenSet:
    """A TokenSet from an OAuth token answer (keeps the old refresh token when none came)."""
    if not body.get("access_token"):
        raise AuthError(gettext_noop("Platform tidak memberikan token akses; sambungkan ulang."))
    expires_in = body.get("expires_in")
    expires_at = clock.now() + timedelta(seconds=int(expires_in)) if expires_in else None
    extra = {
        k: v
        for k, v in body.items()
        if k not in ("access_token", "refresh_token", "expires_in", "token_type")
    }
    return TokenSet(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or previous_refresh),
        expires_at=expires_at,
        extra=extra,
    )


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorization_start(
    platform: str, *, redirect_uri: str, client_id: str = "", scopes: tuple[str, ...] = ()
) -> AuthorizationStart:
    """The URL to send the officer to, with a fresh state (and PKCE verifier)."""
    provider = PROVIDERS.get(platform)
    if provider is None:
        raise NotSupported(m.NO_OAUTH(platform=platform))
    client_id = client_id or client_credentials(None, provider.name)[0]
    state = secrets.token_urlsafe(32)
    params = {
        provider.client_id_param: client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": provider.scope_separator.join(scopes or provider.scopes),
        "state": state,
        **provider.extra,
    }
    verifier = ""
    if provider.pkce:
        verifier, challenge = _pkce_pair()
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return AuthorizationStart(
        url=f"{provider.authorize_url}?{urlencode(params)}", state=state, code_verifier=verifier
    )


def check_state(*, expected: str, received: str) -> None:
    """Refuse a callback whose state is not the one we issued (CSRF on the connect flow)."""
    if not expected or not hmac.compare_digest(expected, received):
        raise PermanentError(
            gettext_noop("Sesi penyambungan tidak cocok atau kedaluwarsa; ulangi dari awal.")
        )


def _connector(
    platform: str,
    *,
    token: str = "",
    base_url: str = "",
    http: httpx.Client | None,
    **credentials: Any,
) -> Any:
    account = Account(
        platform=platform,
        external_id="",
        handle="",
        credentials={"access_token": token, **credentials},
        base_url=base_url,
    )
    return connector_class(platform)(account, http=http)


def exchange_code(
    platform: str,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str = "",
    client_id: str = "",
    client_secret: str = "",
    http: httpx.Client | None = None,
    base_url: str = "",
) -> list[ConnectableAccount]:
    """Trade the callback's code for tokens and list the accounts they can act for."""
    provider = PROVIDERS.get(platform)
    if provider is None:
        raise NotSupported(m.NO_OAUTH_SHORT(platform=platform))
    if not client_id:
        client_id, client_secret = client_credentials(None, provider.name)
    app = {"client_id": client_id, "client_secret": client_secret}
    if provider.name == "meta":
        return _exchange_meta(platform, code, redirect_uri, app, http, base_url)
    if platform == Platform.X:
        return _exchange_x(code, redirect_uri, code_verifier, app, http, base_url)
    if platform == Platform.YOUTUBE:
        return _exchange_google(code, redirect_uri, code_verifier, app, http, base_url)
    if platform == "threads":
        return _exchange_threads(code, redirect_uri, app, http, base_url)
    return _exchange_tiktok(code, redirect_uri, app, http, base_url)


def _exchange_threads(
    code: str, redirect_uri: str, app: dict[str, str], http: httpx.Client | None, base_url: str
) -> list[ConnectableAccount]:
    """Code → short-lived token → long-lived token (60 days) → the profile.

    https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
    and /docs/threads/get-started/long-lived-tokens; the token endpoints have no version.
    """
    api = _connector("threads", base_url=base_url, http=http)
    root = api.base_url.removesuffix("/v1.0")
    short = api._request(
        "POST",
        f"{root}/oauth/access_token",
        auth=False,
        data={
            **app,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
            "code": code,
        },
    )
    long = api._request(
        "GET",
        f"{root}/access_token",
        auth=False,
        params={
            "grant_type": "th_exchange_token",
            "client_secret": app["client_secret"],
            "access_token": str(short.get("access_token") or ""),
        },
    )
    tokens = token_set(long)
    api = _connector("threads", token=tokens.access_token, base_url=base_url, http=http)
    me = api._request("GET", "/me", params={"fields": "id,username"})
    api.account = Account(
        platform="threads",
        external_id=str(me["id"]),
        handle=str(me.get("username") or ""),
        credentials={"access_token": tokens.access_token},
        base_url=base_url,
    )
    followers = api.fetch_followers()
    return [
        ConnectableAccount(
            platform="threads",
            external_id=str(me["id"]),
            handle=str(me.get("username") or me["id"]),
            credentials={"access_token": tokens.access_token},
            url=f"https://www.threads.com/@{me['username']}" if me.get("username") else "",
            token_expires_at=tokens.expires_at,
            followers=followers,
        )
    ]


def _exchange_meta(
    platform: str,
    code: str,
    redirect_uri: str,
    app: dict[str, str],
    http: httpx.Client | None,
    base_url: str,
) -> list[ConnectableAccount]:
    graph = _connector(Platform.FACEBOOK, base_url=base_url, http=http)
    short = graph._request(
        "GET",
        "/oauth/access_token",
        auth=False,
        params={**app, "redirect_uri": redirect_uri, "code": code},
    )
    # A long-lived user token (~60 days) makes Page tokens that do not expire.
    long = graph._request(
        "GET",
        "/oauth/access_token",
        auth=False,
        params={
            "grant_type": "fb_exchange_token",
            **app,
            "fb_exchange_token": short["access_token"],
        },
    )
    user_token = str(long["access_token"])
    graph = _connector(Platform.FACEBOOK, token=user_token, base_url=base_url, http=http)
    pages = graph._request(
        "GET",
        "/me/accounts",
        params={
            "fields": "id,name,username,access_token,followers_count,"
            "instagram_business_account{id,username,followers_count}",
            "limit": 100,
        },
    )
    found = []
    for page in pages.get("data") or []:
        creds = {"access_token": page["access_token"], "user_access_token": user_token}
        if platform == Platform.FACEBOOK:
            found.append(
                ConnectableAccount(
                    platform=platform,
                    external_id=str(page["id"]),
                    handle=str(page.get("username") or page.get("name") or page["id"]),
                    credentials=creds,
                    url=f"https://www.facebook.com/{page['id']}",
                    followers=page.get("followers_count"),
                )
            )
        elif ig := page.get("instagram_business_account"):
            found.append(
                ConnectableAccount(
                    platform=platform,
                    external_id=str(ig["id"]),
                    handle=str(ig.get("username") or ig["id"]),
                    credentials={**creds, "page_id": str(page["id"])},
                    url=f"https://www.instagram.com/{ig.get('username', '')}",
                    followers=ig.get("followers_count"),
                )
            )
    if not found:
        raise PermanentError(
            gettext_noop(
                "Akun ini tidak mengelola Halaman (atau akun Instagram profesional) apa pun."
            )
        )
    return found


def _basic(app: dict[str, str]) -> dict[str, str]:
    if not app["client_secret"]:
        return {}
    raw = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def _exchange_x(
    code: str,
    redirect_uri: str,
    verifier: str,
    app: dict[str, str],
    http: httpx.Client | None,
    base_url: str,
) -> list[ConnectableAccount]:
    api = _connector(Platform.X, base_url=base_url, http=http)
    body = api._request(
        "POST",
        "/2/oauth2/token",
        auth=False,
        headers=_basic(app),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": app["client_id"],
        },
    )
    tokens = token_set(body)
    api = _connector(Platform.X, token=tokens.access_token, base_url=base_url, http=http)
    me = api._request("GET", "/2/users/me", params={"user.fields": "public_metrics,username,name"})[
        "data"
    ]
    return [
        ConnectableAccount(
            platform=Platform.X,
            external_id=str(me["id"]),
            handle=str(me["username"]),
            credentials={
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
            },
            url=f"https://x.com/{me['username']}",
            token_expires_at=tokens.expires_at,
            followers=(me.get("public_metrics") or {}).get("followers_count"),
        )
    ]


def _exchange_google(
    code: str,
    redirect_uri: str,
    verifier: str,
    app: dict[str, str],
    http: httpx.Client | None,
    base_url: str,
) -> list[ConnectableAccount]:
    api = _connector(Platform.YOUTUBE, base_url=base_url, http=http)
    body = api._request(
        "POST",
        api.token_url,
        auth=False,
        data={
            **app,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            **({"code_verifier": verifier} if verifier else {}),
        },
    )
    tokens = token_set(body)
    if not tokens.refresh_token:
        raise PermanentError(
            gettext_noop(
                "Google tidak memberi refresh token; cabut akses warta di akun Google lalu ulangi."
            )
        )
    api = _connector(Platform.YOUTUBE, token=tokens.access_token, base_url=base_url, http=http)
    channels = api._request(
        "GET", "/youtube/v3/channels", params={"part": "snippet,statistics", "mine": "true"}
    )
    creds = {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
    return [
        ConnectableAccount(
            platform=Platform.YOUTUBE,
            external_id=str(c["id"]),
            handle=str(c["snippet"].get("customUrl") or c["snippet"].get("title") or c["id"]),
            credentials=creds,
            url=f"https://www.youtube.com/channel/{c['id']}",
            token_expires_at=tokens.expires_at,
            followers=int((c.get("statistics") or {}).get("subscriberCount") or 0),
        )
        for c in channels.get("items") or []
    ]


def _exchange_tiktok(
    code: str, redirect_uri: str, app: dict[str, str], http: httpx.Client | None, base_url: str
) -> list[ConnectableAccount]:
    api = _connector(Platform.TIKTOK, base_url=base_url, http=http)
    body = api._request(
        "POST",
        "/v2/oauth/token/",
        auth=False,
        data={
            "client_key": app["client_id"],
            "client_secret": app["client_secret"],
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
    )
    tokens = token_set(body)
    api = _connector(Platform.TIKTOK, token=tokens.access_token, base_url=base_url, http=http)
    user = api._request(
        "GET", "/v2/user/info/", params={"fields": "open_id,display_name,username,follower_count"}
    )["data"]["user"]
    return [
        ConnectableAccount(
            platform=Platform.TIKTOK,
            external_id=str(user.get("open_id") or body.get("open_id")),
            handle=str(user.get("username") or user.get("display_name") or ""),
            credentials={
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
            },
            url=f"https://www.tiktok.com/@{user.get('username', '')}",
            token_expires_at=tokens.expires_at,
            followers=user.get("follower_count"),
        )
    ]
