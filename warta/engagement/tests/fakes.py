"""Fakes for the engagement tests: a small language engine and a platform connector.

The real engine and connectors are built elsewhere; these speak the same interfaces
(docs/contracts.md) so that the inbox's behaviour is tested on its own, fast.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from warta.connectors.base import (
    Account,
    Connector,
    NotSupported,
    Page,
    RemoteComment,
)
from warta.engagement import annotation


def _analyze_one(text: str) -> SimpleNamespace:
    low = text.lower()
    if "?" in low or "kapan" in low or "bagaimana" in low:
        intent = "question"
    elif "minta data" in low or "mohon informasi" in low:
        intent = "information_request"
    elif "rusak" in low or "lambat" in low or "kecewa" in low:
        intent = "complaint"
    elif "saran" in low or "sebaiknya" in low:
        intent = "suggestion"
    elif "terima kasih" in low or "mantap" in low:
        intent = "praise"
    else:
        intent = "other"
    negative = any(w in low for w in ("rusak", "kecewa", "bodoh", "lambat"))
    positive = any(w in low for w in ("terima kasih", "mantap", "bagus"))
    return SimpleNamespace(
        sentiment="negative" if negative else "positive" if positive else "neutral",
        sentiment_score=0.9,
        abusive="bodoh" in low or "goblok" in low,
        hate_speech="kafir" in low,
        hate_target="",
        hate_category="",
        intent=intent,
        is_question=intent == "question",
        is_spam="promo" in low or "klik link" in low,
    )


@dataclass
class FakeTheme:
    label: str
    keywords: list[str]
    member_indexes: list[int]
    representative_indexes: list[int]


def _group_themes(texts: Sequence[str], *, max_themes: int = 12) -> list[FakeTheme]:
    """Themes by the first keyword found: enough to test what the app does with themes."""
    buckets: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        low = text.lower()
        key = next((k for k in ("jalan", "sampah", "taman", "lampu") if k in low), "lainnya")
        buckets.setdefault(key, []).append(i)
    return [
        FakeTheme(
            label=k.capitalize(), keywords=[k], member_indexes=v, representative_indexes=v[:2]
        )
        for k, v in list(buckets.items())[:max_themes]
    ]


class FakeLanguage:
    calls = 0

    def analyze(self, texts: Sequence[str]) -> list[SimpleNamespace]:
        FakeLanguage.calls += 1
        return [_analyze_one(t) for t in texts]

    def normalize(self, text: str) -> str:
        return text.lower()

    def group_themes(self, texts: Sequence[str], *, max_themes: int = 12) -> list[FakeTheme]:
        return _group_themes(texts, max_themes=max_themes)


@dataclass
class FakePlatform:
    """What a fake platform holds and saw: comments to hand out, replies it received."""

    comments: list[RemoteComment] = field(default_factory=list)
    page_size: int = 2
    replies: dict[str, RemoteComment] = field(default_factory=dict)  # by idempotency key
    reply_calls: int = 0
    reply_failures: list[Exception] = field(default_factory=list)
    hidden: dict[str, bool] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    can_hide: bool = True
    can_delete: bool = True
    fetch_failures: list[Exception] = field(default_factory=list)
    fetch_calls: int = 0


class FakeConnector(Connector):
    platform = "instagram"

    def __init__(self, account: Account, *, state: FakePlatform) -> None:
        super().__init__(account, http=None)
        self.state = state

    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        self.state.fetch_calls += 1
        if self.state.fetch_failures:
            raise self.state.fetch_failures.pop(0)
        items = [c for c in self.state.comments if since is None or c.created_at >= since]
        start = int(cursor or 0)
        chunk = items[start : start + self.state.page_size]
        more = start + self.state.page_size < len(items)
        return Page(items=chunk, cursor=str(start + self.state.page_size) if more else "")

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        self.state.reply_calls += 1
        if self.state.reply_failures:
            raise self.state.reply_failures.pop(0)
        # Like a real platform honouring an idempotency key: the same key, the same reply.
        if idempotency_key not in self.state.replies:
            self.state.replies[idempotency_key] = RemoteComment(
                platform_item_id=f"r-{len(self.state.replies) + 1}",
                text=text,
                author_name="Dinkes",
                author_handle="@dinkes.uji",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
                parent_id=platform_item_id,
                kind="reply",
            )
        return self.state.replies[idempotency_key]

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        if not self.state.can_hide:
            raise NotSupported("hide_comment")
        self.state.hidden[platform_item_id] = hidden

    def delete_comment(self, platform_item_id: str) -> None:
        if not self.state.can_delete:
            raise NotSupported("delete_comment")
        self.state.deleted.append(platform_item_id)


def comment(
    pid: str,
    text: str,
    *,
    minutes: int = 0,
    post: str = "",
    parent: str = "",
    handle: str = "@warga",
    kind: str = "comment",
    base: datetime = datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
) -> RemoteComment:
    return RemoteComment(
        platform_item_id=pid,
        text=text,
        author_name="Warga",
        author_handle=handle,
        created_at=base + timedelta(minutes=minutes),
        platform_post_id=post,
        parent_id=parent,
        kind=kind,
    )


# The engine lookup as shipped, kept before the autouse fixture replaces it with the fake.
REAL_LANGUAGE_API = annotation._language_api
