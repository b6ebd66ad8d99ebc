"""The guardrail checks; importing this package registers them (GuardrailsConfig.ready)."""

from warta.guardrails.checks import (  # noqa: F401
    election,
    language,
    links,
    media,
    personal_data,
    strategy_rules,
)
