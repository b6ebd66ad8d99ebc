"""The demo city's Threads and WhatsApp: practice channels and a complaint line at work.

Seeded last in the engagement app's demo hook (city scale only), so the six months of
history and the other seeds stay as they were.
Diskominfo gets a Threads profile and a Saluran WhatsApp (manual, assisted publishing);
Diskominfo and Disdukcapil each run a WhatsApp Business complaint line in sandbox mode,
with the sandbox's practice tokens and templates, and a few citizens' messages in the
inbox (numbers fictitious, stored encrypted and shown masked as any).
"""

import random
from datetime import UTC, datetime, timedelta

from warta.channels.models import Channel, WhatsAppTemplate
from warta.connectors.base import RemoteComment
from warta.connectors.fakes.whatsapp import FakeWhatsApp
from warta.connectors.sandbox import practice_credentials
from warta.engagement.whatsapp import contact_for, messages_store
from warta.institutions.models import Agency
from warta.lib import crypto
from warta.lib.platforms import ConnectionMode, Platform

MESSAGES = {
    "Diskominfo": [
        ("Rahmat", "Selamat pagi, wifi gratis di taman Tanjung Laut mati sejak kemarin."),
        ("Sri Wahyuni", "Bagaimana cara daftar pelatihan digital UMKM bulan depan?"),
        ("Yusuf", "Terima kasih infonya min, sudah saya bagikan ke grup RT."),
    ],
    "Disdukcapil": [
        ("Ani", "KTP elektronik saya sudah 3 minggu belum jadi, nomor antrean A-112."),
        ("Hendra", "Apakah akta kelahiran bisa diurus online? Anak saya lahir minggu lalu."),
        ("Maria", "BERHENTI"),
    ],
}


def add_threads_and_whatsapp(
    agencies: dict[str, Agency], *, end: datetime, rng: random.Random
) -> dict[str, int]:
    """Create the channels and messages; returns counts by kind."""
    counts = {"channels": 0, "messages": 0}
    kominfo = agencies.get("Diskominfo")
    if kominfo is not None:
        Channel.objects.create(
            agency=kominfo,
            platform=Platform.THREADS,
            handle="@diskominfo.bontang",
            url="https://www.threads.com/@diskominfo.bontang",
            mode=ConnectionMode.SANDBOX,
            external_id=str(rng.getrandbits(50)),
            credentials_encrypted=crypto.encrypt_json(practice_credentials(Platform.THREADS)),
            created_at=kominfo.created_at,
        )
        Channel.objects.create(
            agency=kominfo,
            platform=Platform.WHATSAPP_CHANNEL,
            handle="Saluran Pemkot Bontang",
            url="https://whatsapp.com/channel/0029VaDemoBontang01",
            mode=ConnectionMode.MANUAL,
            created_at=kominfo.created_at,
        )
        counts["channels"] += 2
    for short, messages in MESSAGES.items():
        agency = agencies.get(short)
        if agency is None:
            continue
        line = Channel.objects.create(
            agency=agency,
            platform=Platform.WHATSAPP,
            handle=f"Pengaduan {short}",
            mode=ConnectionMode.SANDBOX,
            # Each line its own account in the sandbox, a phone-number id as Meta's.
            external_id=str(109876543210000 + agency.pk),
            credentials_encrypted=crypto.encrypt_json(practice_credentials(Platform.WHATSAPP)),
            created_at=agency.created_at,
        )
        counts["channels"] += 1
        for name, language, (status, category, body) in _templates():
            WhatsAppTemplate.objects.create(
                channel=line,
                name=name,
                language=language,
                status=status,
                category=category,
                body=body,
                for_ppid_notices=name == "pemberitahuan_ppid",
                refreshed_at=end,
            )
        counts["messages"] += _messages(rng, line, messages, end=end)
    return counts


def _templates() -> list[tuple[str, str, tuple[str, str, str]]]:
    return [(name, lang, value) for (name, lang), value in FakeWhatsApp().templates.items()]


def _messages(
    rng: random.Random, line: Channel, messages: list[tuple[str, str]], *, end: datetime
) -> int:
    remote = []
    for index, (name, text) in enumerate(messages):
        # One fresh (window open), one from yesterday evening, one older (template only).
        at = end - timedelta(hours=(1, 20, 30)[index % 3], minutes=rng.randint(0, 50))
        number = f"628120000{line.pk:02d}{index:02d}"
        remote.append(
            RemoteComment(
                platform_item_id=f"{number}:wamid.demo{line.pk}{index}",
                text=text,
                author_name=name,
                author_handle=number,
                created_at=at.astimezone(UTC),
                kind="message",
            )
        )
        contact_for(channel=line, wa_id=number)
    return messages_store(line, remote)
