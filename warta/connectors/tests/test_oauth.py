import pytest

from warta.connectors.base import AuthError, NotSupported, PermanentError
from warta.connectors.oauth import authorization_start, check_state, client_credentials
from warta.connectors.token_entry import validate_mastodon, validate_telegram


def test_each_start_has_a_fresh_state_and_verifier():
    first = authorization_start("x", redirect_uri="https://w.example/cb", client_id="c")
    second = authorization_start("x", redirect_uri="https://w.example/cb", client_id="c")
    assert first.state != second.state and first.code_verifier != second.code_verifier


def test_it_refuses_a_callback_with_a_foreign_state():
    check_state(expected="abc", received="abc")
    with pytest.raises(PermanentError):
        check_state(expected="abc", received="abd")
    with pytest.raises(PermanentError):
        check_state(expected="", received="")


def test_it_says_when_the_oauth_app_is_not_configured(settings):
    settings.WARTA_OAUTH_CLIENTS = {"x": {"client_id": "", "client_secret": ""}}
    with pytest.raises(NotSupported, match="WARTA_X_CLIENT_ID"):
        authorization_start("x", redirect_uri="https://w.example/cb")
    settings.WARTA_OAUTH_CLIENTS = {"x": {"client_id": "from-settings", "client_secret": "s"}}
    assert client_credentials(None, "x") == ("from-settings", "s")
    with pytest.raises(NotSupported):
        authorization_start("telegram", redirect_uri="https://w.example/cb")


def test_it_validates_a_telegram_bot_and_channel(fake_platform):
    fake = fake_platform("telegram")
    account = validate_telegram(
        bot_token=fake.access_token, chat="https://t.me/pemkotbontang/", base_url=fake.base_url
    )
    assert account.external_id == fake.external_id and account.handle == "pemkotbontang"
    with pytest.raises(AuthError):
        validate_telegram(bot_token="123:wrong", chat="@pemkotbontang", base_url=fake.base_url)
    with pytest.raises(AuthError):
        validate_telegram(bot_token=fake.access_token, chat="@lain", base_url=fake.base_url)
    with pytest.raises(PermanentError, match="format"):
        validate_telegram(bot_token="nocolon", chat="@x", base_url=fake.base_url)


def test_it_validates_a_mastodon_token(fake_platform):
    fake = fake_platform("mastodon")
    account = validate_mastodon(
        instance_url=fake.base_url + "/", access_token=fake.access_token, allow_private=True
    )
    assert (
        account.external_id == fake.external_id and account.credentials["base_url"] == fake.base_url
    )
    with pytest.raises(AuthError):
        validate_mastodon(instance_url=fake.base_url, access_token="wrong", allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://mastodon.social",
        "https://127.0.0.1",
        "https://10.0.0.5:8443",
        "https://[::1]",
        "javascript:alert(1)",
    ],
)
def test_it_refuses_instance_urls_that_are_not_public_https(url):
    with pytest.raises(PermanentError):
        validate_mastodon(instance_url=url, access_token="t")
