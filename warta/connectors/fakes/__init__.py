"""Local fake platform servers for tests and benchmarks; see fixtures.py for how to use them."""

from importlib import import_module

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

_FAKES = {
    "telegram": "warta.connectors.fakes.telegram.FakeTelegram",
    "mastodon": "warta.connectors.fakes.mastodon.FakeMastodon",
    "x": "warta.connectors.fakes.x.FakeX",
    "facebook": "warta.connectors.fakes.meta.FakeFacebook",
    "instagram": "warta.connectors.fakes.meta.FakeInstagram",
    "youtube": "warta.connectors.fakes.youtube.FakeYouTube",
    "tiktok": "warta.connectors.fakes.tiktok.FakeTikTok",
    "threads": "warta.connectors.fakes.threads.FakeThreads",
    "whatsapp": "warta.connectors.fakes.whatsapp.FakeWhatsApp",
}

FAKE_PLATFORMS = tuple(_FAKES)


def fake_class(platform: str) -> type[FakePlatform]:
    module, _, name = _FAKES[platform].rpartition(".")
    cls: type[FakePlatform] = getattr(import_module(module), name)
    return cls


__all__ = [
    "FAKE_PLATFORMS",
    "FakePlatform",
    "FakeRequest",
    "FakeResponse",
    "Fault",
    "fake_class",
    "route",
]
