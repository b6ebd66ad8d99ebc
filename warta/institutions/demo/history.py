"""An agency's synthetic past: posts, their variants per channel, counters and public comments.

Objects are built unsaved, with their relations set, and written by build.py in bulk in
dependency order (posts, variants, snapshots, comments, replies to comments).
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from warta.analytics.models import ChannelSnapshot, MetricSnapshot, MetricSource
from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.engagement.models import InboxItem
from warta.institutions.demo import captions, comments
from warta.institutions.demo.people import public_author
from warta.institutions.demo.places import RegionSpec
from warta.institutions.demo.plan import AgencyPlan, ChannelPlan, category_mix, friendly_share
from warta.institutions.demo.scales import Scale
from warta.institutions.demo.topics import GENERIC, topics_for
from warta.institutions.models import Agency
from warta.lib.categories import PostCategory
from warta.lib.platforms import Platform as P

UTC = ZoneInfo("UTC")
SHORTCODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
WEEKDAY_WEIGHT = (1.15, 1.15, 1.15, 1.1, 1.0, 0.35, 0.1)
# Local posting hours and their weights: mornings after the event, evenings for reach.
HOURS = (7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 20)
HOUR_WEIGHTS = (3, 8, 12, 12, 9, 7, 7, 6, 4, 6, 4)
# Share of the audience a post reaches, per platform.
# How often a post also goes to a platform (some depend on the category, see below).
SHARE_OF_POSTS: dict[str, float] = {P.INSTAGRAM: 1.0, P.FACEBOOK: 0.85, P.X: 0.5, P.YOUTUBE: 0.08}
REACH_RATE: dict[str, float] = {
    P.INSTAGRAM: 0.35,
    P.FACEBOOK: 0.25,
    P.X: 0.6,
    P.TIKTOK: 1.2,
    P.YOUTUBE: 0.5,
    P.TELEGRAM: 0.55,
}
# Public comments per published variant (before scale and popularity).
COMMENT_RATE: dict[str, float] = {
    P.INSTAGRAM: 1.6,
    P.FACEBOOK: 2.0,
    P.X: 0.5,
    P.TIKTOK: 1.0,
    P.YOUTUBE: 0.3,
    P.TELEGRAM: 0.05,
}
QUALITY: dict[str, float] = {
    PostCategory.ACTIVITY: 0.8,
    PostCategory.PROGRAM: 1.0,
    PostCategory.SERVICE: 1.3,
    PostCategory.EDUCATION: 1.2,
    PostCategory.PARTICIPATION: 1.4,
    PostCategory.ANNOUNCEMENT: 1.5,
}


@dataclass
class RegionRows:
    posts: list[Post] = field(default_factory=list)
    variants: list[PostVariant] = field(default_factory=list)
    metrics: list[MetricSnapshot] = field(default_factory=list)
    channel_snapshots: list[ChannelSnapshot] = field(default_factory=list)
    inbox: list[InboxItem] = field(default_factory=list)
    inbox_replies: list[InboxItem] = field(default_factory=list)


@dataclass
class AgencyWorld:
    """What history needs of an agency whose agency, channel and user rows already exist."""

    plan: AgencyPlan
    agency: Agency
    channels: list[tuple[ChannelPlan, Channel]]
    officers: list[User]
    heads: list[tuple[datetime, str]]  # (from, head name), oldest first


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def followers_at(cp: ChannelPlan, moment: datetime, start: datetime, end: datetime) -> int:
    progress = max(0.0, min(1.0, (moment - start) / (end - start)))
    return max(0, round(cp.start_followers * (1 + cp.growth * progress)))


def _post_times(
    stream: random.Random,
    plan: AgencyPlan,
    scale: Scale,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
) -> list[tuple[datetime, random.Random]]:
    """When the agency posts, each with the random stream of its calendar day.

    A day's stream depends only on the agency and the date, so running the demo an hour or
    a week later gives the same posts on the same dates, not a reshuffled history.
    """
    per_day = plan.posts_per_week * scale.post_rate / 5.0
    base = stream.getrandbits(40)
    times = []
    day = start.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < end:
        rng = random.Random(base * 1_000_003 + day.toordinal())
        expected = per_day * WEEKDAY_WEIGHT[day.weekday()]
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        hours = sorted(rng.choices(HOURS, HOUR_WEIGHTS, k=count))
        minutes = [rng.randrange(60) for _ in hours]
        for hour, minute in zip(hours, minutes, strict=True):
            moment = day.replace(hour=hour, minute=minute).astimezone(UTC)
            # Half an hour of room: a post's variants go out up to 25 minutes apart.
            if start <= moment < end - timedelta(minutes=30) and not plan.in_lapse(moment):
                times.append((moment, rng))
        day = (day + timedelta(days=1, hours=2)).replace(hour=0)  # DST-proof next midnight
    return times


def _channels_for(
    rng: random.Random, category: str, world: AgencyWorld
) -> list[tuple[ChannelPlan, Channel]]:
    chosen = []
    for cp, channel in world.channels:
        p = SHARE_OF_POSTS.get(cp.platform, 0.3)
        if cp.platform == P.TIKTOK:
            p = 0.45 if category in {PostCategory.ACTIVITY, PostCategory.EDUCATION} else 0.1
        elif cp.platform == P.TELEGRAM:
            p = 0.8 if category in {PostCategory.ANNOUNCEMENT, PostCategory.SERVICE} else 0.2
        elif cp.platform == P.WEBSITE:
            p = 0.5 if category in {PostCategory.ACTIVITY, PostCategory.ANNOUNCEMENT} else 0.15
        if rng.random() < p:
            chosen.append((cp, channel))
    return chosen or world.channels[:1]


def _adapt(platform: str, cap: captions.Caption) -> tuple[str, str]:
    """(caption, title) as the agency would write it on each platform."""
    tags = " ".join(cap.hashtags)
    if platform == P.X:
        room = 280 - len(cap.hashtags[0]) - 2
        text = (
            cap.message
            if len(cap.message) <= room
            else cap.message[: room - 1].rsplit(" ", 1)[0] + "…"
        )
        return f"{text} {cap.hashtags[0]}", ""
    if platform == P.TIKTOK:
        return f"{cap.message.split('. ')[0]}. {tags} #fyp", ""
    if platform in {P.YOUTUBE, P.WEBSITE}:
        return cap.message, cap.title
    if platform == P.TELEGRAM:
        return f"{cap.title}\n\n{cap.message}", ""
    if platform == P.FACEBOOK:
        return f"{cap.message}\n\n{' '.join(cap.hashtags[:2])}", ""
    return f"{cap.message}\n.\n.\n{tags}", ""


def _platform_ids(rng: random.Random, channel: Channel, platform: str) -> tuple[str, str]:
    digits = str(rng.getrandbits(62))
    if platform == P.INSTAGRAM:
        code = "".join(rng.choices(SHORTCODE_CHARS, k=11))
        return "17" + digits[:15], f"https://www.instagram.com/p/{code}/"
    if platform == P.FACEBOOK:
        page = channel.external_id or "100064" + digits[:9]
        return f"{page}_{digits}", f"https://www.facebook.com/{channel.handle}/posts/{digits}"
    if platform == P.X:
        return digits, f"{channel.url}/status/{digits}"
    if platform == P.TIKTOK:
        return "73" + digits[:17], f"{channel.url}/video/73{digits[:17]}"
    if platform == P.YOUTUBE:
        code = "".join(rng.choices(SHORTCODE_CHARS, k=11))
        return code, f"https://www.youtube.com/watch?v={code}"
    if platform == P.TELEGRAM:
        return digits[:6], f"{channel.url}/{digits[:6]}"
    return digits[:8], f"{channel.url.rstrip('/')}/berita/{digits[:8]}"


def _metric_rows(
    rng: random.Random,
    variant: PostVariant,
    cp: ChannelPlan,
    reach: int,
    comment_count: int,
    scale: Scale,
    end: datetime,
) -> list[MetricSnapshot]:
    likes = int(reach * rng.uniform(0.03, 0.09))
    shares = int(likes * rng.uniform(0.02, 0.12))
    saves = int(likes * rng.uniform(0.01, 0.08)) if cp.platform == P.INSTAGRAM else 0
    rows = []
    published = variant.published_at
    assert published is not None
    norm = 1 - math.exp(-max(scale.metric_hours) / 20)
    for hours in scale.metric_hours:
        captured = published + timedelta(hours=hours)
        if captured > end:
            break
        frac = (1 - math.exp(-hours / 20)) / norm
        r = int(reach * frac)
        has_reach = cp.platform in {P.INSTAGRAM, P.FACEBOOK}
        rows.append(
            MetricSnapshot(
                variant=variant,
                captured_at=captured,
                impressions=int(r * 1.35)
                if cp.platform in {P.INSTAGRAM, P.FACEBOOK, P.X}
                else None,
                reach=r if has_reach else None,
                views=r if cp.platform in {P.TIKTOK, P.YOUTUBE, P.TELEGRAM, P.WEBSITE} else None,
                likes=int(likes * frac),
                comments=int(comment_count * frac),
                shares=int(shares * frac),
                saves=int(saves * frac),
                source=MetricSource.API if cp.mode == "api" else MetricSource.IMPORT,
            )
        )
    return rows


def _inbox_for_variant(
    rng: random.Random,
    world: AgencyWorld,
    region: RegionSpec,
    variant: PostVariant,
    channel: Channel,
    category: str,
    count: int,
    end: datetime,
    rows: RegionRows,
) -> int:
    plan = world.plan
    published = variant.published_at
    assert published is not None
    topics = topics_for(plan.spec.sector)
    made = 0
    for n in range(count):
        received = published + timedelta(hours=min(rng.expovariate(1 / 8), 24 * 20))
        if received > end:
            continue
        comment = comments.make_comment(
            rng,
            category=category,
            short=plan.spec.short_name,
            place=region.place,
            village=rng.choice(region.villages),
            service=rng.choice(topics.services or GENERIC.services),
        )
        item = _inbox_item(rng, world, channel, comment, received, end)
        item.variant = variant
        item.platform_item_id = f"{variant.platform_post_id}_{n}"
        rows.inbox.append(item)
        made += 1
        if rng.random() < 0.08:
            reply_at = received + timedelta(hours=rng.uniform(0.2, 30))
            if reply_at <= end:
                answer = comments.make_comment(
                    rng,
                    category=PostCategory.ACTIVITY,
                    short=plan.spec.short_name,
                    place=region.place,
                    village=rng.choice(region.villages),
                    service=rng.choice(topics.services or GENERIC.services),
                )
                reply = _inbox_item(rng, world, channel, answer, reply_at, end)
                reply.kind = InboxItem.Kind.REPLY
                reply.variant = variant
                reply.parent = item
                reply.platform_item_id = f"{variant.platform_post_id}_{n}_r"
                rows.inbox_replies.append(reply)
                made += 1
    return made


def _inbox_item(
    rng: random.Random,
    world: AgencyWorld,
    channel: Channel,
    comment: comments.Comment,
    received: datetime,
    end: datetime,
) -> InboxItem:
    """A public item and what the agency did with it (answered, hidden, left open)."""
    plan = world.plan
    name, handle = public_author(rng)
    item = InboxItem(
        agency=world.agency,
        channel=channel,
        kind=InboxItem.Kind.COMMENT,
        author_name=name,
        author_handle=handle,
        text=comment.text,
        received_at=received,
        updated_at=received,
    )
    age = end - received
    officer = rng.choice(world.officers) if world.officers else None
    if comment.abusive or comment.text in comments.SPAM:
        if rng.random() < 0.5 and age > timedelta(hours=6):
            item.status = InboxItem.Status.HIDDEN
            item.hidden_on_platform = True
            item.updated_at = received + timedelta(hours=rng.uniform(1, 6))
        return item
    if comment.wants_answer and rng.random() < plan.response_rate:
        delay = timedelta(hours=rng.lognormvariate(math.log(plan.response_hours), 0.9))
        if received + delay <= end:
            item.first_response_at = received + delay
            item.status = InboxItem.Status.DONE
            item.assignee = officer
            item.updated_at = item.first_response_at
            return item
    if comment.wants_answer and age > timedelta(days=1) and rng.random() < 0.3:
        item.status = InboxItem.Status.ASSIGNED
        item.assignee = officer
    elif not comment.wants_answer and age > timedelta(days=2) and rng.random() < 0.6:
        item.status = InboxItem.Status.DONE  # read and left alone, as most praise is
    return item


def agency_history(
    stream: random.Random,
    world: AgencyWorld,
    region: RegionSpec,
    scale: Scale,
    start: datetime,
    end: datetime,
    rows: RegionRows,
) -> None:
    plan, tz = world.plan, ZoneInfo(region.timezone)
    weights_cache: dict[int, tuple[list[str], list[int]]] = {}
    dm_stream = random.Random(stream.getrandbits(64))
    for moment, rng in _post_times(stream, plan, scale, start, end, tz):
        mix = category_mix(plan, moment)
        key = id(mix)
        if key not in weights_cache:
            weights_cache[key] = (list(mix), list(mix.values()))
        names, weights = weights_cache[key]
        category = rng.choices(names, weights)[0]
        tone = "friendly" if rng.random() < friendly_share(plan, moment) else "formal"
        head = next(name for since, name in reversed(world.heads) if since <= moment)
        cap = captions.make_caption(
            rng=rng,
            category=category,
            tone=tone,
            agency=plan.spec,
            region=region,
            head_name=head,
            moment=moment.astimezone(tz),
        )
        created = moment - timedelta(minutes=rng.randint(20, 60 * 30))
        author = rng.choice(world.officers) if world.officers else None
        post = Post(
            agency=world.agency,
            title=cap.title,
            message=cap.message,
            category=category,
            created_by=author,
            created_at=created,
            updated_at=moment,
        )
        rows.posts.append(post)
        factor = plan.engagement_factor(moment, start, end) * plan.popularity
        factor *= QUALITY.get(category, 1.0) * (1.35 if tone == "friendly" else 1.0)
        for cp, channel in _channels_for(rng, category, world):
            published = moment + timedelta(minutes=rng.randint(0, 25))
            text, title = _adapt(cp.platform, cap)
            post_id, url = _platform_ids(rng, channel, cp.platform)
            variant = PostVariant(
                post=post,
                channel=channel,
                caption=text,
                title=title[:200],
                status=PostVariant.Status.PUBLISHED,
                scheduled_by=author,
                scheduled_at=moment,
                published_at=published,
                platform_post_id=post_id,
                platform_url=url,
                idempotency_key=_uuid(rng),
                attempts=1,
                updated_at=published,
            )
            rows.variants.append(variant)
            audience = followers_at(cp, published, start, end) or 800 * plan.popularity
            reach = int(
                audience * REACH_RATE.get(cp.platform, 0.3) * factor * rng.lognormvariate(0, 0.45)
            )
            mean = COMMENT_RATE.get(cp.platform, 0.0) * scale.comment_rate * factor
            made = _inbox_for_variant(
                rng,
                world,
                region,
                variant,
                channel,
                category,
                min(40, _poisson(rng, mean)),
                end,
                rows,
            )
            rows.metrics.extend(_metric_rows(rng, variant, cp, reach, made, scale, end))
    _direct_messages(dm_stream, world, region, scale, start, end, rows)


def _direct_messages(
    rng: random.Random,
    world: AgencyWorld,
    region: RegionSpec,
    scale: Scale,
    start: datetime,
    end: datetime,
    rows: RegionRows,
) -> None:
    inboxes = [
        c for cp, c in world.channels if cp.platform in {P.INSTAGRAM, P.FACEBOOK, P.TELEGRAM}
    ]
    weeks = (end - start).days / 7
    topics = topics_for(world.plan.spec.sector)
    for n in range(_poisson(rng, scale.dm_rate * weeks * world.plan.popularity) if inboxes else 0):
        received = start + (end - start) * rng.random()
        channel = rng.choice(inboxes)
        message = comments.make_direct_message(
            rng,
            village=rng.choice(region.villages),
            service=rng.choice(topics.services or GENERIC.services),
        )
        item = _inbox_item(rng, world, channel, message, received, end)
        item.kind = InboxItem.Kind.MESSAGE
        item.platform_item_id = f"dm_{n}"
        rows.inbox.append(item)


def channel_snapshots(
    rng: random.Random,
    cp: ChannelPlan,
    channel: Channel,
    scale: Scale,
    start: datetime,
    end: datetime,
    rows: RegionRows,
) -> int | None:
    """Followers over time (daily or weekly); returns the latest count."""
    if not cp.start_followers:
        return None
    moment, latest = start.replace(hour=16, minute=0, second=0, microsecond=0), None
    source = MetricSource.API if cp.mode == "api" else MetricSource.IMPORT
    while moment <= end:
        noise = rng.uniform(-0.002, 0.002)
        latest = max(0, round(followers_at(cp, moment, start, end) * (1 + noise)))
        rows.channel_snapshots.append(
            ChannelSnapshot(channel=channel, captured_at=moment, followers=latest, source=source)
        )
        moment += timedelta(days=scale.channel_snapshot_days)
    return latest
