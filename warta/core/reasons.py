"""Messages stored in the database in Indonesian and translated when shown.

A connector's failure reason is saved on a variant or a channel by a background task and
read later by officers who may have switched to English. So such a reason is stored as
its Indonesian source text (the msgid, with its parameters filled in) whatever language
was active, and `localize` turns it into the reader's language at display time: an exact
msgid through gettext, a filled-in template (`Reason`) by matching it back to its msgid.
Parameters are localized too, so a reason that embeds another reason reads whole.
"""

import re
from typing import Any

from django.conf import settings
from django.utils.translation import get_language, gettext

_PARAM = re.compile(r"%\((\w+)\)([sd])|%%")
_REGISTRY: list["Reason"] = []
_MAX_DEPTH = 3


class Reason:
    """A stored message template; mark its msgid with gettext_noop so makemessages finds it.

    `REJECTED = Reason(gettext_noop("Mastodon menolak isi: %(msg)s"))`, then
    `REJECTED(msg=text)` is the Indonesian text to store or raise.
    """

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid
        self.kinds: dict[str, str] = {}
        parts: list[str] = []
        pos = 0
        for m in _PARAM.finditer(msgid):
            parts.append(re.escape(msgid[pos : m.start()]))
            pos = m.end()
            if m.group(0) == "%%":
                parts.append("%")
                continue
            name, kind = m.group(1), m.group(2)
            if name in self.kinds:
                parts.append(f"(?P={name})")
            else:
                self.kinds[name] = kind
                parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.*?)")
        parts.append(re.escape(msgid[pos:]))
        self.pattern = re.compile("".join(parts), re.DOTALL)
        # The more fixed text a template has, the more specific it is: try those first.
        self.weight = len(_PARAM.sub("", msgid))
        _REGISTRY.append(self)
        _REGISTRY.sort(key=lambda r: -r.weight)

    def __call__(self, **params: Any) -> str:
        """The Indonesian text with `params` filled in (what gets stored)."""
        return self.msgid % params

    def __repr__(self) -> str:
        return f"Reason({self.msgid!r})"


def localize(text: str, *, _depth: int = 0) -> str:
    """`text` (a stored Indonesian message) in the active language; unknown text as is."""
    if not text or (get_language() or settings.LANGUAGE_CODE).startswith("id"):
        return text
    translated = gettext(text)
    if translated != text or _depth >= _MAX_DEPTH:
        return translated
    for reason in _REGISTRY:
        match = reason.pattern.fullmatch(text)
        if match is None:
            continue
        params: dict[str, Any] = {}
        for name, kind in reason.kinds.items():
            value = match.group(name)
            params[name] = int(value) if kind == "d" else localize(value, _depth=_depth + 1)
        return gettext(reason.msgid) % params
    return text
