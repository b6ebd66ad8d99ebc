"""Counting windows the fakes enforce their platforms' documented rate limits with.

The callers hold their fake's lock; "now" is the fake's clock (`FakePlatform.now()`), so a
test moves the windows with time-machine.
"""

import math
from collections import defaultdict, deque


class SlidingWindow:
    """At most `limit` events in any `seconds`, per key (TikTok's and Telegram's windows)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)

    def take(self, key: str, now: float, n: int = 1) -> int:
        """Count `n` events at `now` and answer 0, or count nothing and answer the whole
        seconds until they would fit (the wait a platform tells)."""
        events = self._events[key]
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if len(events) + n <= self.limit:
            events.extend([now] * n)
            return 0
        if n > self.limit:
            return math.ceil(self.seconds)
        # The oldest events that must leave the window to make room for n.
        frees_at = events[len(events) + n - self.limit - 1] + self.seconds
        return max(1, math.ceil(frees_at - now))

    def give_back(self, key: str, now: float, n: int = 1) -> None:
        """Uncount `n` events taken at `now` (the request was refused after all)."""
        events = self._events[key]
        for _ in range(n):
            if events and events[-1] == now:
                events.pop()
