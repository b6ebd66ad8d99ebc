"""What a publish task carries for each post it claimed, and how a post goes back to the queue."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from warta.connectors.base import MediaFile
from warta.content.models import PostVariant

S = PostVariant.Status

# Hand ids to publish tasks, to start no earlier than the time given (None: now).
Enqueue = Callable[[list[int], datetime | None], None]


@dataclass(frozen=True)
class Requeue:
    """How a post that must wait (a retry, a spent rate budget) goes back to the publish task.

    Handed down by window.py, which defines the task: retries and deferrals run inside it,
    so their modules cannot import it without an import cycle (docs/architecture.md).
    """

    can_defer: Callable[[], bool]
    enqueue: Enqueue


@dataclass
class Job:
    variant: PostVariant
    verify_first: bool  # ask the platform for the post before sending
    since: datetime
    claimed_at: datetime | None = None
    takeover: bool = False  # the claim of a dead worker: never re-send unverified
    verified: bool = False  # the platform said, conclusively, the post is not there
    media: tuple[MediaFile, ...] = ()
    outcome: object = None  # PublishResult / RemotePost / exception, set by the thread
    budget_taken: bool = False  # its cost was taken from the platform's rate budgets
    published: dict[str, Any] = field(default_factory=dict)  # what _published wrote


class _Unverifiable:
    """The platform cannot be asked whether the dead worker's request went through."""
