"""What is sent is what was checked: content changed since its checks is checked again."""

from django.db import transaction

from warta.content.models import PostVariant
from warta.content.publishing.jobs import Job, S
from warta.content.publishing.messages import CHANGED_AND_BLOCKED
from warta.content.services import _transition, content_digest, findings_for
from warta.lib import clock
from warta.lib.findings import Severity, worst


def _still_as_checked(job: Job, counts: dict[str, int]) -> bool:
    """True when the claimed variant may go out: what is sent is what was checked.

    Content changed since its checks (or never checked this way) is checked again here:
    blocked → needs attention; needing approval → back to the reviewers; else it goes.
    A take-over that must first ask the platform is left alone (it may be out already).
    """
    variant = job.variant
    if job.verify_first:
        return True
    media = [(m.kind, m.sha256, m.alt_text) for m in job.media]
    digest = content_digest(variant=variant, post=variant.post, media=media)
    if digest == variant.checked_digest:
        return True
    findings = findings_for(variant)
    stored = [f.to_json() for f in findings]
    level = worst(findings)
    with transaction.atomic():
        if level == Severity.BLOCK:
            why = "; ".join(f.message for f in findings if f.severity == Severity.BLOCK)
            moved = _transition(
                variant,
                old=S.PUBLISHING,
                new=S.NEEDS_ATTENTION,
                actor=None,
                action="recheck_blocked",
                last_error=CHANGED_AND_BLOCKED(why=why[:300]),
                claimed_at=None,
                findings=stored,
            )
            state = "needs_attention"
        elif level == Severity.APPROVAL and (variant.approved_at is None or variant.checked_digest):
            # Approval is for the content the reviewer saw; this is not it (or none was).
            moved = _transition(
                variant,
                old=S.PUBLISHING,
                new=S.AWAITING_APPROVAL,
                actor=None,
                action="recheck_needs_approval",
                claimed_at=None,
                approved_by=None,
                approved_at=None,
                approval_requested_at=clock.now(),
                findings=stored,
                checked_digest=digest,
            )
            state = "awaiting_approval"
        else:
            PostVariant.objects.filter(pk=variant.pk).update(checked_digest=digest, findings=stored)
            variant.checked_digest = digest
            return True
    if moved:
        counts[state] = counts.get(state, 0) + 1
    return False
