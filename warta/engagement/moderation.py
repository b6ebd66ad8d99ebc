"""When warta may hide or delete a public comment.

Hiding is a strong act for a government: criticism is not a reason. By default only
abusive or hateful language and spam may be hidden, and only spam deleted. An agency's
strategy may set its own rules (a `moderation_rules(agency)` in strategy's selectors,
returning sets of the annotation names that permit each act); the default applies when
it has none.
"""

from dataclasses import dataclass

from warta.engagement.models import InboxItem
from warta.institutions.models import Agency


@dataclass(frozen=True)
class ModerationRules:
    hide_when: frozenset[str] = frozenset({"abusive", "hate_speech", "spam"})
    delete_when: frozenset[str] = frozenset({"spam"})


DEFAULT_RULES = ModerationRules()


def rules_for(agency: Agency) -> ModerationRules:
    try:
        from warta.strategy.selectors import moderation_rules  # type: ignore[attr-defined]
    except ImportError:
        return DEFAULT_RULES
    found = moderation_rules(agency)
    if not found:
        return DEFAULT_RULES
    return ModerationRules(
        hide_when=frozenset(found.get("hide_when", DEFAULT_RULES.hide_when)),
        delete_when=frozenset(found.get("delete_when", DEFAULT_RULES.delete_when)),
    )


def flags(item: InboxItem) -> set[str]:
    out = set()
    if item.is_abusive:
        out.add("abusive")
    if item.is_hate_speech:
        out.add("hate_speech")
    if item.is_spam:
        out.add("spam")
    return out


def may_hide(item: InboxItem, rules: ModerationRules | None = None) -> bool:
    rules = rules or rules_for(item.agency)
    return bool(flags(item) & rules.hide_when)


def may_delete(item: InboxItem, rules: ModerationRules | None = None) -> bool:
    rules = rules or rules_for(item.agency)
    return bool(flags(item) & rules.delete_when)
