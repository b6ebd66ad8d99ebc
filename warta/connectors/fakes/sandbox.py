"""warta's sandbox platforms: every fake in one process, one account per channel.

    python -m warta.connectors.fakes.sandbox --port 8001      # what `make demo` runs

`/<platform>/<account>/<the platform's own API path>` goes to that account's fake, made
on first use (each channel of a demo or training region gets its own page, posts and
comments; the connectors speak to it exactly as to the platform). The sandbox accepts
any token: it is a practice ground, and its accounts exist only in this process.

`/<platform>/<account>/_sandbox/posts/<id>` shows a post as the platform would, with its
comments and replies, marked as practice: the link warta stores for a sandbox post.
`/` lists what was published. Every `--life` seconds a resident comments on a recent post
and its numbers grow, so that the inbox and the metrics move as on a real account.
Only loopback: the sandbox binds 127.0.0.1.
"""

import argparse
import contextlib
import html
import itertools
import random
import re
import signal
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

from warta.connectors.fakes import FAKE_PLATFORMS, FakePlatform, fake_class
from warta.connectors.fakes.server import _RequestHandler

# What residents write under a sandbox post (questions too, so that there is something
# to answer); kept here so the sandbox needs nothing from the apps above it.
RESIDENT_COMMENTS = (
    ("Rina", "Terima kasih infonya min, sangat membantu 🙏"),
    ("Budi", "Min, pendaftarannya sampai kapan ya?"),
    ("Sari", "Apakah ini juga berlaku untuk warga Bontang Selatan?"),
    ("Andi", "Mantap, semoga rutin diadakan"),
    ("Dewi", "Lokasinya di mana persisnya min? Mohon info"),
    ("Yusuf", "Jalan di depan rumah kami masih berlubang, kapan diperbaiki?"),
    ("Lina", "Info yang jelas, terima kasih Pemkot"),
    ("Hendra", "Syaratnya apa saja min?"),
)
MAX_COMMENTS_PER_POST = 6
RECENT_POSTS = 12

# Each fake's metric fields, grown a little on every round of life.
_GROWTH: dict[str, tuple[str, ...]] = {
    "facebook": ("stats.reactions", "stats.shares", "stats.impressions", "stats.reach"),
    "instagram": ("stats.likes", "stats.reach", "stats.views", "stats.saved"),
    "x": ("public_metrics.like_count", "public_metrics.impression_count"),
    "mastodon": ("favourites_count", "reblogs_count"),
    "youtube": ("statistics.viewCount", "statistics.likeCount"),
    "tiktok": ("like_count", "view_count"),
}


class Sandbox:
    """The accounts and the HTTP server of the sandbox."""

    def __init__(self, *, port: int = 0, seed: int = 0) -> None:
        self.port = port
        self.accounts: dict[tuple[str, str], FakePlatform] = {}
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the sandbox first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "Sandbox":
        handler = type("_Handler", (_SandboxHandler,), {"sandbox": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True, name="sandbox"
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def account(self, platform: str, external_id: str) -> FakePlatform:
        """The fake for one channel's account, made on first use."""
        with self.lock:
            fake = self.accounts.get((platform, external_id))
            if fake is None:
                base = fake_class(platform)
                cls = type(
                    base.__name__,
                    (base,),
                    {"external_id": external_id, "authorized": lambda self, request: True},
                )
                fake = cls()
                # Ids that a restarted sandbox does not hand out again: warta keeps the
                # posts of earlier runs, and a new post must not take an old one's id.
                start = time.time_ns() // 1_000_000 % 10**12
                fake._ids = itertools.count(start)  # type: ignore[attr-defined]
                if hasattr(fake, "_message_ids"):
                    fake._message_ids = iter(range(start, 10**13))
                fake.mounted_at = f"{self.base_url}/{platform}/{quote(external_id, safe='')}"
                self.accounts[(platform, external_id)] = fake
            return fake

    # --- life ----------------------------------------------------------------------------
    def live_once(self) -> bool:
        """One resident comments on a recent post, and its numbers grow; False: no post."""
        with self.lock:
            fakes = list(self.accounts.values())
        candidates = [
            (fake, post_id)
            for fake in fakes
            for post_id in list(fake.posts)[-RECENT_POSTS:]
            if len(thread_of(fake, post_id)[1]) < MAX_COMMENTS_PER_POST
        ]
        if not candidates:
            return False
        fake, post_id = self.random.choice(candidates)
        author, text = self.random.choice(RESIDENT_COMMENTS)
        fake.add_comment(post_id, text, author=author.lower())  # type: ignore[attr-defined]  # every fake has one
        for post_id in list(fake.posts)[-RECENT_POSTS:]:
            _grow(fake.posts[post_id], _GROWTH.get(fake.platform, ()), self.random)
        return True


def _grow(post: dict[str, Any], fields: tuple[str, ...], rng: random.Random) -> None:
    for path in fields:
        holder: dict[str, Any] = post
        *parents, name = path.split(".")
        for parent in parents:
            holder = holder.setdefault(parent, {})
        old = holder.get(name) or 0
        new = int(old) + rng.randint(1, 9) * (10 if "view" in name or "impression" in name else 1)
        holder[name] = str(new) if isinstance(old, str) else new


# --- reading a post back, whatever the platform's shape -----------------------------------
def _text(item: dict[str, Any]) -> str:
    snippet = item.get("snippet") or {}
    for value in (
        item.get("message"),
        item.get("caption"),
        item.get("text"),
        item.get("title"),
        snippet.get("textOriginal"),
        snippet.get("title"),
        re.sub(r"<[^>]+>", "", str(item.get("content") or "")),
    ):
        if value:
            return str(value)
    return ""


def _author(item: dict[str, Any]) -> str:
    who = item.get("from") or item.get("account") or {}
    snippet = item.get("snippet") or {}
    return str(
        who.get("name")
        or who.get("first_name")
        or who.get("acct")
        or item.get("username")
        or item.get("_author")
        or snippet.get("authorDisplayName")
        or ""
    )


def _parent(item: dict[str, Any]) -> str:
    """The id of the post or comment this comment answers."""
    if item.get("parent"):
        return str(item["parent"]["id"])
    if item.get("post"):
        return str(item["post"])
    for ref in item.get("referenced_tweets") or []:
        return str(ref["id"])
    if item.get("in_reply_to_id"):
        return str(item["in_reply_to_id"])
    if reply := item.get("reply_to_message"):
        origin = reply.get("forward_origin") or {}
        return str(origin.get("message_id") or reply.get("message_id"))
    snippet = item.get("snippet") or {}
    return str(snippet.get("parentId") or snippet.get("videoId") or "")


def thread_of(fake: FakePlatform, post_id: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """A post's text and its comments as (author, text, is_reply), oldest first."""
    post = fake.posts.get(post_id) or {}
    known, comments = {post_id}, []
    with fake.lock:
        items = list(fake.comments.items())
    for comment_id, item in items:  # in the order they were made: parents come first
        parent = _parent(item)
        if parent in known:
            known.add(comment_id)
            # The account's own answers carry no author in some platforms' shapes.
            comments.append((_author(item) or fake.handle, _text(item), parent != post_id))
    return _text(post), comments


# --- pages -----------------------------------------------------------------------------------
_STYLE = """
body { font-family: sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; color: #1b1b1b; }
.banner { background: #fff3cd; border: 2px solid #b58100; padding: .75rem; font-weight: bold; }
.post { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; margin: 1rem 0; }
.comment { border-left: 3px solid #ccc; padding: .25rem .75rem; margin: .5rem 0; }
.reply { margin-left: 2rem; border-color: #0b5cad; }
.who { font-weight: bold; }
"""


def _page(title: str, body: str) -> bytes:
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        '<p class="banner">SANDBOX / LATIHAN: tiruan platform milik warta. '
        "Tidak ada yang tampil di internet dan tidak ada warga sungguhan di sini.</p>"
        f"{body}</body></html>"
    ).encode()


def post_page(fake: FakePlatform, post_id: str) -> bytes | None:
    if post_id not in fake.posts:
        return None
    text, comments = thread_of(fake, post_id)
    parts = [
        f"<h1>{html.escape(fake.platform.title())} · {html.escape(fake.external_id)}</h1>",
        f'<article class="post"><p>{html.escape(text)}</p></article>',
        f"<h2>Komentar ({len(comments)})</h2>",
    ]
    for author, comment, is_reply in comments:
        parts.append(
            f'<div class="comment{" reply" if is_reply else ""}">'
            f'<span class="who">{html.escape(author)}</span> <span>{html.escape(comment)}</span>'
            "</div>"
        )
    return _page(text[:60], "".join(parts))


def index_page(sandbox: Sandbox) -> bytes:
    rows = []
    with sandbox.lock:
        accounts = list(sandbox.accounts.items())
    for (platform, _account), fake in accounts:
        for post_id in reversed(list(fake.posts)):
            link = f"{fake.mounted_at}/_sandbox/posts/{quote(post_id, safe='')}"
            rows.append(
                f'<li><a href="{html.escape(link)}">{html.escape(platform)} · '
                f"{html.escape(_text(fake.posts[post_id])[:80])}</a></li>"
            )
    body = "<h1>Platform sandbox warta</h1>" + (
        f"<ul>{''.join(rows)}</ul>" if rows else "<p>Belum ada yang diterbitkan.</p>"
    )
    return _page("Platform sandbox warta", body)


class _SandboxHandler(_RequestHandler):
    sandbox: ClassVar[Sandbox]

    def _handle(self) -> None:
        split = urlsplit(self.path)
        if split.path in ("", "/"):
            return self._html(200, index_page(self.sandbox))
        parts = split.path.split("/", 3)  # "", platform, account, rest
        if len(parts) < 3 or parts[1] not in FAKE_PLATFORMS or not parts[2]:
            return self._html(404, _page("Tidak ada", "<p>Alamat ini tidak ada di sandbox.</p>"))
        fake = self.sandbox.account(parts[1], unquote(parts[2]))
        rest = "/" + (parts[3] if len(parts) > 3 else "")
        if rest.startswith("/_sandbox/posts/"):
            page = post_page(fake, unquote(rest.removeprefix("/_sandbox/posts/")))
            if page is None:
                page = _page("Tidak ada", "<p>Postingan ini tidak ada (lagi) di sandbox.</p>")
            return self._html(200 if b"Komentar" in page else 404, page)
        self.platform_fake = fake  # type: ignore[misc]  # this request's account
        self.path = rest + (f"?{split.query}" if split.query else "")
        return super()._handle()

    def _html(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m warta.connectors.fakes.sandbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--life", type=float, default=20.0, help="seconds between residents' comments (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sandbox = Sandbox(port=args.port, seed=args.seed).start()
    print(f"Platform sandbox warta di {sandbox.base_url}/", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        while not stop.wait(args.life or None):
            if sandbox.live_once():
                print(time.strftime("%H:%M:%S"), "komentar baru di sandbox", flush=True)
    sandbox.stop()


if __name__ == "__main__":
    main()
