"""The English switch works and the English catalogue is complete.

Message ids are Indonesian (docs/decisions/0001); English comes from
warta/locale/en/LC_MESSAGES. A string added without a translation fails here.
"""

import ast
import gettext
from pathlib import Path

from django.conf import settings
from django.test import Client

from warta.testing.fixtures import World

CATALOGUE = Path(settings.BASE_DIR) / "warta" / "locale" / "en" / "LC_MESSAGES"


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line.strip()))


def read_po(path: Path) -> list[dict[str, object]]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (a list for plurals), flags."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    field = ""

    def finish() -> None:
        if "msgid" in entry:
            entries.append(dict(entry))
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] = [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field.startswith("msgstr["):
                plural = entry["msgstr"]
                assert isinstance(plural, list)
                plural[-1] += _unquote(line)
            else:
                entry[field] = str(entry[field]) + _unquote(line)
        else:
            field, _, value = line.partition(" ")
            if field.startswith("msgstr["):
                plural = entry.setdefault("msgstr", [])
                assert isinstance(plural, list)
                plural.append(_unquote(value))
            else:
                entry[field] = _unquote(value)
    finish()
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


def test_the_login_page_is_indonesian_by_default(db: None) -> None:
    body = Client().get("/masuk/").content.decode()
    assert "Masuk ke warta" in body
    assert "Sign in to warta" not in body


def test_the_switch_turns_the_login_page_english(db: None) -> None:
    client = Client()
    response = client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    body = client.get("/masuk/").content.decode()
    assert "Sign in to warta" in body
    assert "Masuk ke warta" not in body
    assert '<html lang="en">' in body


def test_the_switch_turns_the_home_page_english(world: World, alice_client: Client) -> None:
    alice_client.post("/bahasa/", {"language": "en", "next": "/"})
    body = alice_client.get("/").content.decode()
    assert "Your agency" in body
    assert "Perangkat daerah Anda" not in body
    alice_client.post("/bahasa/", {"language": "id", "next": "/"})
    assert "Perangkat daerah Anda" in alice_client.get("/").content.decode()


def test_every_message_has_an_english_translation() -> None:
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 900
    untranslated = [
        e["msgid"]
        for e in entries
        if (isinstance(e["msgstr"], list) and not all(e["msgstr"])) or not e["msgstr"]
    ]
    assert untranslated == [], "run makemessages and translate these in django.po"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", [])]  # type: ignore[operator]
    assert fuzzy == [], "review these fuzzy translations in django.po"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in read_po(CATALOGUE / "django.po"):
        msgid, want = str(e["msgid"]), e["msgstr"]
        context = str(e.get("msgctxt", ""))
        got: object
        if "msgid_plural" in e:
            plural = str(e["msgid_plural"])
            got = [
                compiled.npgettext(context, msgid, plural, n)
                if context
                else compiled.ngettext(msgid, plural, n)
                for n in (1, 2)
            ]
        else:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        if got != want:
            stale.append(msgid)
    assert stale == [], "run compilemessages and commit django.mo"
