"""Optional caption drafts from an OpenAI-compatible chat endpoint (e.g. a local model server).

Off unless WARTA_LLM_BASE_URL is set. The endpoint is chosen by the administrator and
usually sits on the local network, so it is called directly rather than through
safe_http (which refuses private addresses by design). A draft is only a suggestion:
it goes through every guardrail like any text an officer writes.
"""

from dataclasses import dataclass

import httpx
from django.conf import settings

from warta.guardrails.registry import CheckSubject, run_checks
from warta.institutions.models import Agency
from warta.lib.findings import Finding
from warta.strategy.schema import StrategyData


class DraftsUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Draft:
    text: str
    findings: list[Finding]


def drafts_enabled() -> bool:
    return bool(settings.WARTA_LLM_BASE_URL)


def _prompt(
    agency: Agency, strategy: StrategyData, brief: str, platform: str
) -> list[dict[str, str]]:
    rules = (
        "\n".join(f"- {r}" for r in strategy["tone_rules"]) or "- bahasa Indonesia baku yang ramah"
    )
    avoid = ", ".join(w["word"] for w in strategy["words_avoid"]) or "-"
    system = (
        f"Anda menulis keterangan unggahan media sosial untuk {agency.name}, {agency.region.name}. "
        f"Tujuan: {strategy['purpose'] or 'melayani informasi publik'}.\nGaya bahasa:\n{rules}\n"
        f"Hindari kata: {avoid}. Wajib tagar: {' '.join(strategy['hashtags']) or '-'}. "
        "Jangan memuat data pribadi, jangan berpihak politik. Tulis satu keterangan saja."
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Platform: {platform}.\nBahan:\n{brief}"},
    ]


def caption_draft(*, agency: Agency, strategy: StrategyData, brief: str, platform: str) -> Draft:
    if not drafts_enabled():
        raise DraftsUnavailable("WARTA_LLM_BASE_URL is not set")
    headers = {"Content-Type": "application/json"}
    if settings.WARTA_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.WARTA_LLM_API_KEY}"
    try:
        response = httpx.post(
            settings.WARTA_LLM_BASE_URL.rstrip("/") + "/chat/completions",
            json={
                "model": settings.WARTA_LLM_MODEL,
                "messages": _prompt(agency, strategy, brief[:4000], platform),
                "temperature": 0.7,
                "max_tokens": 400,
            },
            headers=headers,
            timeout=settings.WARTA_LLM_TIMEOUT_SECONDS,
            trust_env=False,
        )
        response.raise_for_status()
        text = str(response.json()["choices"][0]["message"]["content"]).strip()
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise DraftsUnavailable(str(exc)) from exc
    if not text:
        raise DraftsUnavailable("empty draft")
    subject = CheckSubject(
        platform=platform, caption=text[:5000], region_id=agency.region_id, agency_id=agency.pk
    )
    return Draft(text=text[:5000], findings=run_checks(subject))
