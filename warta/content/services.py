"""Writes of content: posts, variants and the people's side of the publishing state machine.

Split by feature: posts.py (create, edit, copy to agencies), variants.py (edit, submit,
approve, schedule, cancel, published by hand), checks.py (what the checks see, the digest
of what they judged), workflow.py (the statuses and the one conditional move between
them). The writes stay importable from here, with what other apps and the publishing
worker take from this module: views, the API and the guardrails call `services.<name>`.
"""

from warta.content.checks import content_digest, findings_for
from warta.content.posts import post_copy_to_agencies, post_create, post_update
from warta.content.variants import (
    is_manual,
    variant_approve,
    variant_cancel,
    variant_mark_published_manually,
    variant_reschedule,
    variant_schedule,
    variant_send_back,
    variant_submit,
    variant_update,
)
from warta.content.workflow import VariantText, _transition

__all__ = [
    "VariantText",
    "_transition",
    "content_digest",
    "findings_for",
    "is_manual",
    "post_copy_to_agencies",
    "post_create",
    "post_update",
    "variant_approve",
    "variant_cancel",
    "variant_mark_published_manually",
    "variant_reschedule",
    "variant_schedule",
    "variant_send_back",
    "variant_submit",
    "variant_update",
]
