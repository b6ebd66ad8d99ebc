from datetime import UTC, datetime, timedelta

import httpx
import pytest

from warta.connectors.base import (
    AuthError,
    MediaFile,
    NotSupported,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.fakes import graph as graph_fake
from warta.connectors.oauth import authorization_start, exchange_code


def media(tmp_path, name="a.jpg", kind="image", mime="image/jpeg") -> MediaFile:
    path = tmp_path / name
    path.write_bytes(b"\xff\xd8\xff" + b"0" * 300)
    return MediaFile(
        path=path,
        mime_type=mime,
        kind=kind,
        size_bytes=303,
        url=f"https://warta.example/media/{name}",
        alt_text="Alt",
    )


@pytest.fixture
def fb(fake_platform):
    return fake_platform("facebook")


@pytest.fixture
def ig(fake_platform):
    return fake_platform("instagram")


# --- Facebook ---------------------------------------------------------------------------
def test_facebook_posts_text_photo_album_and_video(fb, tmp_path):
    connector = fb.connector()
    text = connector.publish(
        PublishRequest(idempotency_key="1", caption="Teks", first_comment="Komentar pertama")
    )
    assert text.platform_post_id.startswith("1000_")
    assert [c["message"] for c in fb.objects[text.platform_post_id]["comments"]] == [
        "Komentar pertama"
    ]
    photo = connector.publish(
        PublishRequest(idempotency_key="2", caption="Foto", media=(media(tmp_path),))
    )
    assert fb.objects[photo.platform_post_id]["photo"]
    album = connector.publish(
        PublishRequest(
            idempotency_key="3", caption="Album", media=(media(tmp_path), media(tmp_path, "b.jpg"))
        )
    )
    assert len(fb.objects[album.platform_post_id]["attached_media"]) == 2
    video = connector.publish(
        PublishRequest(
            idempotency_key="4",
            caption="Video",
            title="Judul",
            media=(media(tmp_path, "v.mp4", "video", "video/mp4"),),
        )
    )
    assert video.url == f"https://www.facebook.com/1000/videos/{video.platform_post_id}"
    assert fb.publish_counts == {"Teks": 1, "Foto": 1, "Album": 1, "Video": 1}


@pytest.mark.parametrize(
    ("kind", "error", "code"),
    [
        (Fault.THROTTLED, TransientError, "368"),
        (Fault.RATE_LIMIT, TransientError, "32"),
        (Fault.SERVER_ERROR, TransientError, "2"),
        (Fault.EXPIRED_TOKEN, AuthError, "190/463"),
        ("revoked", AuthError, "200"),
        (Fault.INVALID_MEDIA, PermanentError, "324"),
        (Fault.DUPLICATE, PermanentError, "duplicate"),
    ],
)
def test_facebook_maps_graph_error_codes(fb, kind, error, code):
    fb.fail_next(kind)
    with pytest.raises(error) as caught:
        fb.connector().publish(PublishRequest(idempotency_key="k", caption="x"))
    assert caught.value.platform_code == code
    if kind == Fault.RATE_LIMIT:
        assert caught.value.retry_after == 120  # 2 minutes from X-Business-Use-Case-Usage
    if kind == Fault.THROTTLED:
        assert caught.value.retry_after >= 600
    if error is PermanentError:
        assert not isinstance(caught.value, AuthError)


def test_facebook_refuses_the_same_message_twice(fb):
    connector = fb.connector()
    connector.publish(PublishRequest(idempotency_key="1", caption="Sama"))
    with pytest.raises(PermanentError) as caught:
        connector.publish(PublishRequest(idempotency_key="2", caption="Sama"))
    assert caught.value.platform_code == "duplicate"


def test_facebook_finds_a_post_after_a_crash_and_sees_deletion(fake_platform):
    fb = fake_platform("facebook", hang_seconds=0.4)
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(idempotency_key="k", caption="Pengumuman CPNS")
    fb.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="/feed")
    with pytest.raises(TransientError) as caught:
        fb.connector(timeout=0.2).publish(request)
    assert caught.value.outcome_unknown
    connector = fb.connector()
    found = connector.find_post("k", since=since, request=request)
    assert found is not None and found.caption == "Pengumuman CPNS"
    connector.delete(found.platform_post_id)
    assert connector.fetch_post(found.platform_post_id).deleted
    assert connector.find_post("k", since=since, request=request) is None


def test_facebook_reads_metrics_followers_comments_and_replies(fb):
    connector = fb.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fb.objects[post.platform_post_id]["stats"].update(
        reactions=7, shares=2, impressions=900, reach=600
    )
    old = fb.add_comment(post.platform_post_id, "lama", at=datetime.now(UTC) - timedelta(days=2))
    comment = fb.add_comment(post.platform_post_id, "Kapan dibuka?")
    [m] = connector.fetch_metrics([post.platform_post_id, "1000_404"])
    assert (m.likes, m.shares, m.comments, m.impressions, m.reach) == (7, 2, 2, 900, 600)
    assert connector.fetch_followers() == 4100
    page = connector.fetch_comments(since=datetime.now(UTC) - timedelta(hours=1))
    assert [c.text for c in page.items] == ["Kapan dibuka?"]
    assert old["id"] not in [c.platform_item_id for c in page.items]
    answer = connector.reply(platform_item_id=comment["id"], text="Senin", idempotency_key="r")
    assert fb.objects[answer.platform_item_id]["parent"] == {"id": comment["id"]}
    connector.hide_comment(comment["id"])
    assert fb.objects[comment["id"]]["is_hidden"] is True


def test_facebook_pages_comments_across_posts(fb):
    connector = fb.connector()
    for n in range(30):
        post = connector.publish(PublishRequest(idempotency_key=str(n), caption=f"Pos {n}"))
        fb.add_comment(post.platform_post_id, f"komentar {n}")
    first = connector.fetch_comments(since=None)
    second = connector.fetch_comments(since=None, cursor=first.cursor)
    assert len(first.items) == 25 and len(second.items) == 5 and second.cursor == ""


def test_facebook_refreshes_the_user_token_and_rereads_the_page_token(fb):
    tokens = fb.connector().refresh_token()
    assert tokens.extra["user_access_token"] == fb.user_token
    assert tokens.access_token in fb.valid_tokens
    fb.expire_token()
    with pytest.raises(AuthError):
        fb.connector().refresh_token()


def test_facebook_connect_lists_the_pages(fb):
    start = authorization_start(
        "facebook", redirect_uri="https://warta.example/cb", client_id="app"
    )
    assert start.url.startswith("https://www.facebook.com/") and "pages_manage_posts" in start.url
    [page] = exchange_code(
        "facebook",
        code="good-code",
        redirect_uri="https://warta.example/cb",
        client_id="client-id",
        client_secret="client-secret",
        base_url=fb.base_url,
    )
    assert page.external_id == "1000" and page.credentials["user_access_token"] == fb.user_token


# --- Instagram --------------------------------------------------------------------------
def test_instagram_publishes_an_image_through_a_container(ig, tmp_path):
    result = ig.connector().publish(
        PublishRequest(
            idempotency_key="k",
            caption="Foto #bontang",
            media=(media(tmp_path),),
            first_comment="#pemkot",
        )
    )
    assert result.url == f"https://www.instagram.com/p/C{result.platform_post_id}/"
    assert ig.publish_counts["Foto #bontang"] == 1
    assert [c["text"] for c in ig.objects[result.platform_post_id]["comments"]] == ["#pemkot"]


def test_instagram_uploads_a_reel_and_waits_for_processing(ig, tmp_path):
    ig.container_polls = 3
    result = ig.connector().publish(
        PublishRequest(
            idempotency_key="k",
            caption="Reel",
            media=(media(tmp_path, "v.mp4", "video", "video/mp4"),),
        )
    )
    assert ig.objects[result.platform_post_id]["media_type"] == "REELS"
    assert any(path.startswith("/ig-api-upload/") for _, path in ig.request_log)


def test_instagram_publishes_a_carousel(ig, tmp_path):
    files = (
        media(tmp_path),
        media(tmp_path, "v.mp4", "video", "video/mp4"),
        media(tmp_path, "c.jpg"),
    )
    result = ig.connector().publish(
        PublishRequest(idempotency_key="k", caption="Carousel", media=files)
    )
    assert ig.objects[result.platform_post_id]["media_type"] == "CAROUSEL"


def test_instagram_refuses_images_without_a_public_url(ig, tmp_path):
    local = MediaFile(path=tmp_path / "x.jpg", mime_type="image/jpeg", kind="image", size_bytes=1)
    with pytest.raises(PermanentError, match="alamat publik"):
        ig.connector().publish(PublishRequest(idempotency_key="k", caption="x", media=(local,)))
    with pytest.raises(PermanentError, match="minimal"):
        ig.connector().publish(PublishRequest(idempotency_key="k", caption="x"))


def test_instagram_maps_a_failed_container_and_the_publishing_limit(ig, tmp_path):
    ig.fail_container = True
    with pytest.raises(PermanentError, match="2207026"):
        ig.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(media(tmp_path),))
        )
    ig.fail_next("publish_limit", path="media_publish")
    with pytest.raises(TransientError) as caught:
        ig.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(media(tmp_path),))
        )
    assert caught.value.retry_after >= 3600
    ig.fail_next(Fault.INVALID_MEDIA, path="POST /17841400000000001/media")
    with pytest.raises(PermanentError, match="photo or video"):
        ig.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(media(tmp_path),))
        )
    assert ig.publish_counts.total() == 0


def test_instagram_finds_a_post_after_a_crash_but_cannot_delete(fake_platform, tmp_path):
    ig = fake_platform("instagram", hang_seconds=0.4)
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(idempotency_key="k", caption="Foto", media=(media(tmp_path),))
    ig.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="media_publish")
    with pytest.raises(TransientError):
        ig.connector(timeout=0.2).publish(request)
    found = ig.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id in ig.posts
    with pytest.raises(NotSupported):
        ig.connector().delete(found.platform_post_id)


def test_instagram_reads_insights_comments_replies_and_hides(ig, tmp_path):
    connector = ig.connector()
    post = connector.publish(
        PublishRequest(idempotency_key="k", caption="Foto", media=(media(tmp_path),))
    )
    ig.objects[post.platform_post_id]["stats"].update(reach=50, likes=3, saved=1, views=80)
    [m] = connector.fetch_metrics([post.platform_post_id])
    assert (m.reach, m.likes, m.saves, m.views) == (50, 3, 1, 80)
    assert connector.fetch_followers() == 2900
    comment = ig.add_comment(post.platform_post_id, "Keren!", author="budi")
    answer = connector.reply(
        platform_item_id=comment["id"], text="Terima kasih", idempotency_key="r"
    )
    page = connector.fetch_comments(since=None)
    assert [(c.text, c.parent_id) for c in page.items] == [
        ("Keren!", ""),
        ("Terima kasih", comment["id"]),
    ]
    assert page.items[1].platform_item_id == answer.platform_item_id
    connector.hide_comment(comment["id"])
    assert ig.objects[comment["id"]]["hidden"] is True


# --- as Meta documents it ---------------------------------------------------------------
def test_graph_refuses_retired_page_post_metrics_as_meta_does(fb):
    # https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics
    post = fb.connector().publish(PublishRequest(idempotency_key="k", caption="Pos"))
    answer = httpx.get(
        f"{fb.base_url}/",
        params={
            "ids": post.platform_post_id,
            "fields": "insights.metric(post_impressions,post_impressions_unique)",
            "access_token": fb.access_token,
        },
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["type"]) == (100, "OAuthException")
    assert error["message"] == "(#100) The value must be a valid insights metric"


def test_facebook_reads_views_and_viewers_with_the_current_metrics(fb):
    connector = fb.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fb.objects[post.platform_post_id]["stats"].update(impressions=900, reach=600, reactions=4)
    [m] = connector.fetch_metrics([post.platform_post_id])
    assert (m.impressions, m.reach, m.likes) == (900, 600, 4)


def test_facebook_still_counts_reactions_when_meta_retires_the_view_metrics(fb, monkeypatch):
    monkeypatch.delitem(graph_fake.POST_METRICS, "post_media_view")
    connector = fb.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fb.objects[post.platform_post_id]["stats"].update(impressions=900, reactions=4)
    [m] = connector.fetch_metrics([post.platform_post_id])
    assert (m.impressions, m.likes) == (None, 4)


def _published_before_many_others(fb, caption: str, others: int) -> str:
    target = fb._post(caption)["id"]
    for n in range(others):
        fb._post(f"Lain {n}")
    return target


def test_facebook_find_post_follows_time_based_paging_without_cursors(fb):
    # Asked with `since`, Graph pages by time: paging.next without paging.cursors.
    since = datetime.now(UTC) - timedelta(minutes=1)
    target = _published_before_many_others(fb, "Pengumuman CPNS", 120)
    request = PublishRequest(idempotency_key="k", caption="Pengumuman CPNS")
    found = fb.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id == target


def test_facebook_find_post_reads_on_past_an_empty_page_that_has_next(fb):
    since = datetime.now(UTC) - timedelta(minutes=1)
    target = _published_before_many_others(fb, "Pengumuman CPNS", 100)
    fb.hidden_ids = {i for i in fb.posts if i != target}  # the whole first page is filtered
    request = PublishRequest(idempotency_key="k", caption="Pengumuman CPNS")
    found = fb.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id == target


def test_facebook_reads_comments_of_every_post_when_paged_by_time(fb):
    connector = fb.connector()
    for n in range(30):
        post = fb._post(f"Pos {n}")
        fb.add_comment(post["id"], f"komentar {n}")
    since = datetime.now(UTC) - timedelta(hours=1)
    first = connector.fetch_comments(since=since)
    assert first.cursor and fb.access_token not in first.cursor  # cursors are stored
    second = connector.fetch_comments(since=since, cursor=first.cursor)
    assert len(first.items) + len(second.items) == 30 and second.cursor == ""


def test_instagram_sends_the_video_to_the_uri_the_container_answer_gave(ig, tmp_path):
    # https://developers.facebook.com/documentation/instagram-platform/content-publishing/resumable-uploads
    result = ig.connector().publish(
        PublishRequest(
            idempotency_key="k",
            caption="Reel",
            media=(media(tmp_path, "v.mp4", "video", "video/mp4"),),
        )
    )
    [upload] = [path for method, path in ig.request_log if path.startswith("/ig-api-upload/")]
    container = next(o for o in ig.objects.values() if o.get("uri_path") == upload)
    assert container["uploaded"] and ig.publish_counts["Reel"] == 1
    assert result.platform_post_id in ig.posts


def test_graph_answers_only_the_fields_asked_for_and_refuses_unknown_ones(fb):
    # https://developers.facebook.com/docs/graph-api/reference/post
    post = fb.connector().publish(PublishRequest(idempotency_key="k", caption="Pos"))
    url = f"{fb.base_url}/{post.platform_post_id}"
    token = {"access_token": fb.access_token}
    asked = httpx.get(url, params={**token, "fields": "message,created_time"}).json()
    assert set(asked) == {"id", "message", "created_time"}
    refused = httpx.get(url, params={**token, "fields": "impressions"})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "(#100) Tried accessing nonexisting field (impressions) on node type (Post)"
    )
