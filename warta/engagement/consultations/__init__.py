"""Consultations: asking the public, collecting and grouping the input, answering back.

One module per step; every name is importable from here. A test that patches a name
patches it in the module that uses it (`consultations.inputs.screen_input`), not here.
"""

from warta.engagement.consultations.inputs import (
    ADDRESS_LIMIT_PER_HOUR,
    BROWSER_LIMIT_PER_HOUR,
    COOKIELESS_LIMIT_PER_HOUR,
    MAX_INPUT_CHARS,
    _add_input,
    browser_key,
    consultation_collect_comments,
    consultation_submit_public,
    official_contacts,
    public_form_refusal,
    screen_input,
)
from warta.engagement.consultations.lifecycle import (
    consultation_close,
    consultation_create,
    consultation_update,
)
from warta.engagement.consultations.publishing import (
    PublicAction,
    PublicTheme,
    PublicUpdate,
    consultation_follow_up_post,
    follow_up_message,
    public_quote,
    public_url,
    public_view_digest,
    required_hashtags,
    theme_public_view,
    theme_publish,
    theme_unpublish,
)
from warta.engagement.consultations.themes import (
    action_add_update,
    action_create,
    consultation_group,
    input_set_quote,
    theme_answer,
    theme_merge,
    theme_rename,
    theme_split,
)

__all__ = [
    "ADDRESS_LIMIT_PER_HOUR",
    "BROWSER_LIMIT_PER_HOUR",
    "COOKIELESS_LIMIT_PER_HOUR",
    "MAX_INPUT_CHARS",
    "PublicAction",
    "PublicTheme",
    "PublicUpdate",
    "_add_input",
    "action_add_update",
    "action_create",
    "browser_key",
    "consultation_close",
    "consultation_collect_comments",
    "consultation_create",
    "consultation_follow_up_post",
    "consultation_group",
    "consultation_submit_public",
    "consultation_update",
    "follow_up_message",
    "input_set_quote",
    "official_contacts",
    "public_form_refusal",
    "public_quote",
    "public_url",
    "public_view_digest",
    "required_hashtags",
    "screen_input",
    "theme_answer",
    "theme_merge",
    "theme_public_view",
    "theme_publish",
    "theme_rename",
    "theme_split",
    "theme_unpublish",
]
