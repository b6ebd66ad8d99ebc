"""The content of one strategy version: its JSON shape, validation and merging.

A version stores its content as one JSON document (see `StrategyData`), so that a
version is immutable as a whole and two versions compare field by field.
"""

import re
import string
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.lib.categories import PostCategory
from warta.lib.platforms import Platform

# Placeholders a template may use; the post editor fills them in.
TEMPLATE_PLACEHOLDERS: dict[str, Promise] = {
    "agency": gettext_lazy("nama perangkat daerah"),
    "region": gettext_lazy("nama pemerintah daerah"),
    "title": gettext_lazy("judul kegiatan/program"),
    "date": gettext_lazy("tanggal"),
    "time": gettext_lazy("jam"),
    "place": gettext_lazy("tempat"),
    "program": gettext_lazy("nama program"),
    "service": gettext_lazy("nama layanan"),
    "audience": gettext_lazy("sasaran"),
    "contact": gettext_lazy("kontak resmi"),
    "link": gettext_lazy("tautan"),
    "hashtags": gettext_lazy("tagar wajib"),
}

# Sections of a strategy; governance decides per section who may change it.
SECTIONS: dict[str, tuple[str, ...]] = {
    "purpose": ("purpose", "audiences"),
    "pillars": ("pillars", "target_mix"),
    "cadence": ("cadence",),
    "voice": (
        "tone_rules",
        "hashtags",
        "mentions",
        "words_use",
        "words_avoid",
        "rule_patterns",
        "official_names",
        "official_contacts",
        "visual_notes",
    ),
    "library": ("templates", "ideas"),
}

MAX_ITEMS = 200
# A quantified group that itself contains a quantifier: (a+)+, (\w*)*, (x{2,})+ ...
# urusan.bidang.program[.kegiatan[.subkegiatan]]: "1.02.02", "X.XX.01", "2.10.03.1.01".
PROGRAMME_CODE = re.compile(r"^[0-9X]{1,2}(\.[0-9X]{1,4}){1,4}$")
MAX_PROGRAMMES = 20
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
MAX_TEXT = 5000


class Pillar(TypedDict):
    category: str
    label: str
    description: str
    # Renstra programme codes (Permendagri 90/2019 nomenclature as SIPD exports it, e.g.
    # "1.02.02") this pillar's posts serve: the thread that outlives a change of head.
    programmes: NotRequired[list[str]]


class AvoidWord(TypedDict):
    word: str
    instead: str


class RulePattern(TypedDict):
    pattern: str
    message: str


class OfficialName(TypedDict):
    name: str
    wrong: list[str]


class Template(TypedDict):
    pillar: str
    name: str
    body: str


class Idea(TypedDict):
    pillar: str
    text: str


class StrategyData(TypedDict):
    purpose: str
    audiences: list[str]
    pillars: list[Pillar]
    target_mix: dict[str, int]
    cadence: dict[str, float]
    tone_rules: list[str]
    hashtags: list[str]
    mentions: list[str]
    words_use: list[str]
    words_avoid: list[AvoidWord]
    rule_patterns: list[RulePattern]
    official_names: list[OfficialName]
    official_contacts: list[str]
    visual_notes: str
    templates: list[Template]
    ideas: list[Idea]


def programme_codes(raw: object) -> list[str]:
    """Codes from a list or a comma/space separated text, upper-cased, in order, once each."""
    if isinstance(raw, str):
        items: list[object] = list(re.split(r"[,;\s]+", raw))
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        items = []
    out: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        if code and code not in out:
            out.append(code)
    return out


def empty_data() -> StrategyData:
    return {
        "purpose": "",
        "audiences": [],
        "pillars": [],
        "target_mix": {},
        "cadence": {},
        "tone_rules": [],
        "hashtags": [],
        "mentions": [],
        "words_use": [],
        "words_avoid": [],
        "rule_patterns": [],
        "official_names": [],
        "official_contacts": [],
        "visual_notes": "",
        "templates": [],
        "ideas": [],
    }


FIELD_LABELS: dict[str, Promise] = {
    "purpose": gettext_lazy("Tujuan"),
    "audiences": gettext_lazy("Khalayak"),
    "pillars": gettext_lazy("Pilar konten"),
    "target_mix": gettext_lazy("Target bauran"),
    "cadence": gettext_lazy("Target frekuensi"),
    "tone_rules": gettext_lazy("Aturan gaya bahasa"),
    "hashtags": gettext_lazy("Tagar wajib"),
    "mentions": gettext_lazy("Sebutan wajib"),
    "words_use": gettext_lazy("Kata yang dianjurkan"),
    "words_avoid": gettext_lazy("Kata yang dihindari"),
    "rule_patterns": gettext_lazy("Pola aturan"),
    "official_names": gettext_lazy("Penulisan nama resmi"),
    "official_contacts": gettext_lazy("Kontak resmi"),
    "visual_notes": gettext_lazy("Identitas visual"),
    "templates": gettext_lazy("Templat"),
    "ideas": gettext_lazy("Bank ide"),
}


def template_placeholders(body: str) -> list[str]:
    """Placeholder names in a template body ({name}); raises ValueError on broken braces."""
    return [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    return str(value or "").strip()[:limit]


def _texts(value: Any) -> list[str]:
    items = [_text(v, 500) for v in (value or [])]
    return list(dict.fromkeys(v for v in items if v))


def validate_data(raw: dict[str, Any]) -> StrategyData:
    """Normalise a strategy document; raise ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    data = empty_data()
    unknown = set(raw) - set(data)
    if unknown:
        err(
            "__all__", _("Bagian tidak dikenal: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    data["purpose"] = _text(raw.get("purpose"))
    data["visual_notes"] = _text(raw.get("visual_notes"))
    for name in ("audiences", "tone_rules", "words_use", "official_contacts"):
        data[name] = _texts(raw.get(name))  # type: ignore[literal-required]

    categories = set(PostCategory.values)
    seen: set[str] = set()
    for p in raw.get("pillars") or []:
        cat = str(p.get("category", ""))
        if cat not in categories:
            err("pillars", _("Pilar “%(c)s” bukan kategori yang dikenal.") % {"c": cat})
        elif cat in seen:
            err("pillars", _("Pilar “%(c)s” disebut dua kali.") % {"c": cat})
        else:
            seen.add(cat)
            codes = programme_codes(p.get("programmes"))
            bad = [c for c in codes if not PROGRAMME_CODE.match(c)]
            if bad:
                err(
                    "pillars",
                    _("Kode program “%(code)s” tidak dikenali; tulis seperti 1.02.02.")
                    % {"code": bad[0]},
                )
            elif len(codes) > MAX_PROGRAMMES:
                err(
                    "pillars",
                    _("Paling banyak %(n)d kode program per pilar.") % {"n": MAX_PROGRAMMES},
                )
            entry: Pillar = {
                "category": cat,
                "label": _text(p.get("label"), 100),
                "description": _text(p.get("description"), 1000),
            }
            if codes:
                entry["programmes"] = codes
            data["pillars"].append(entry)

    mix: dict[str, int] = {}
    for cat, value in (raw.get("target_mix") or {}).items():
        if cat not in categories:
            err("target_mix", _("Kategori “%(c)s” tidak dikenal.") % {"c": cat})
            continue
        try:
            pct = int(value)
        except (TypeError, ValueError):
            err("target_mix", _("Persentase untuk “%(c)s” harus bilangan bulat.") % {"c": cat})
            continue
        if pct < 0 or pct > 100:
            err("target_mix", _("Persentase untuk “%(c)s” harus 0-100.") % {"c": cat})
        elif pct:
            mix[cat] = pct
    if mix and sum(mix.values()) != 100:
        err(
            "target_mix",
            _("Jumlah target bauran harus 100%%, sekarang %(total)s%%.")
            % {"total": sum(mix.values())},
        )
    data["target_mix"] = mix

    cadence: dict[str, float] = {}
    for platform, value in (raw.get("cadence") or {}).items():
        if platform not in Platform.values:
            err("cadence", _("Platform “%(p)s” tidak dikenal.") % {"p": platform})
            continue
        try:
            per_week = float(value)
        except (TypeError, ValueError):
            err("cadence", _("Frekuensi untuk %(p)s harus berupa angka.") % {"p": platform})
            continue
        if per_week < 0 or per_week != per_week:
            err("cadence", _("Frekuensi untuk %(p)s tidak boleh negatif.") % {"p": platform})
        elif per_week > 200:
            err(
                "cadence",
                _("Frekuensi untuk %(p)s terlalu besar (maks. 200/minggu).") % {"p": platform},
            )
        elif per_week:
            cadence[platform] = per_week
    data["cadence"] = cadence

    for tag in _texts(raw.get("hashtags")):
        tag = "#" + tag.lstrip("#")
        if not re.fullmatch(r"#\w{1,100}", tag):
            err(
                "hashtags", _("Tagar “%(t)s” tidak sah (tanpa spasi atau tanda baca).") % {"t": tag}
            )
        else:
            data["hashtags"].append(tag)
    for mention in _texts(raw.get("mentions")):
        mention = "@" + mention.lstrip("@")
        if not re.fullmatch(r"@[\w.]{1,100}", mention):
            err("mentions", _("Sebutan “%(m)s” tidak sah.") % {"m": mention})
        else:
            data["mentions"].append(mention)

    for item in raw.get("words_avoid") or []:
        word = _text(item.get("word"), 200)
        if word:
            data["words_avoid"].append({"word": word, "instead": _text(item.get("instead"), 200)})

    for item in raw.get("rule_patterns") or []:
        pattern = str(item.get("pattern") or "").strip()
        if not pattern:
            continue
        if len(pattern) > 300:
            err(
                "rule_patterns",
                _("Pola “%(p)s…” terlalu panjang (maks. 300).") % {"p": pattern[:30]},
            )
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            err(
                "rule_patterns",
                _("Pola “%(p)s” tidak dapat dipakai: %(e)s.") % {"p": pattern, "e": exc},
            )
            continue
        if NESTED_QUANTIFIER.search(pattern):
            # Python's re has no time limit; (a+)+ style patterns can hang every check.
            err(
                "rule_patterns",
                _(
                    "Pola “%(p)s” memakai pengulangan bertingkat yang bisa "
                    "sangat lambat; sederhanakan polanya."
                )
                % {"p": pattern},
            )
            continue
        message = _text(item.get("message"), 300)
        if not message:
            err("rule_patterns", _("Pola “%(p)s” perlu pesan untuk petugas.") % {"p": pattern})
            continue
        data["rule_patterns"].append({"pattern": pattern, "message": message})

    for item in raw.get("official_names") or []:
        name = _text(item.get("name"), 200)
        if name:
            data["official_names"].append({"name": name, "wrong": _texts(item.get("wrong"))})

    for item in raw.get("templates") or []:
        name, body = _text(item.get("name"), 200), _text(item.get("body"))
        pillar = str(item.get("pillar") or "")
        if not name or not body:
            err("templates", _("Setiap templat perlu nama dan isi."))
            continue
        if pillar not in categories:
            err(
                "templates",
                _("Templat “%(n)s”: pilar “%(p)s” tidak dikenal.") % {"n": name, "p": pillar},
            )
            continue
        try:
            names = template_placeholders(body)
        except ValueError:
            err("templates", _("Templat “%(n)s”: kurung kurawal tidak seimbang.") % {"n": name})
            continue
        unknown_ph = sorted({n for n in names if n not in TEMPLATE_PLACEHOLDERS})
        if unknown_ph:
            err(
                "templates",
                _("Templat “%(n)s” memakai isian yang tidak dikenal: %(u)s. Yang boleh: %(ok)s.")
                % {
                    "n": name,
                    "u": ", ".join(f"{{{u}}}" for u in unknown_ph),
                    "ok": ", ".join(f"{{{k}}}" for k in TEMPLATE_PLACEHOLDERS),
                },
            )
            continue
        data["templates"].append({"pillar": pillar, "name": name, "body": body})

    for item in raw.get("ideas") or []:
        text, pillar = _text(item.get("text"), 1000), str(item.get("pillar") or "")
        if not text:
            continue
        if pillar not in categories:
            err(
                "ideas",
                _("Ide “%(t)s”: pilar “%(p)s” tidak dikenal.") % {"t": text[:40], "p": pillar},
            )
            continue
        data["ideas"].append({"pillar": pillar, "text": text})

    for name in data:
        value = data[name]  # type: ignore[literal-required]
        if isinstance(value, (list, dict)) and len(value) > MAX_ITEMS:
            err(name, _("Terlalu banyak butir (maks. %(n)s).") % {"n": MAX_ITEMS})
    if errors:
        raise ValidationError(errors)
    return data


def merge(baseline: StrategyData | None, own: StrategyData | None) -> StrategyData:
    """The strategy an agency works under: its own on top of the region baseline.

    Rules and lists add up (a baseline's mandatory hashtag stays mandatory); the
    agency's purpose, pillars, mix, cadence and visual notes replace the baseline's
    where the agency set them.
    """
    base = baseline or empty_data()
    mine = own or empty_data()
    out = empty_data()
    for name in ("purpose", "visual_notes"):
        out[name] = mine[name] or base[name]  # type: ignore[literal-required]
    for name in ("target_mix", "cadence"):
        out[name] = dict(mine[name] or base[name])  # type: ignore[literal-required]
    pillars = {p["category"]: p for p in base["pillars"]}
    pillars.update({p["category"]: p for p in mine["pillars"]})
    out["pillars"] = list(pillars.values())
    for name in (
        "audiences",
        "tone_rules",
        "hashtags",
        "mentions",
        "words_use",
        "official_contacts",
    ):
        out[name] = list(dict.fromkeys([*base[name], *mine[name]]))  # type: ignore[literal-required]
    for name in ("words_avoid", "rule_patterns", "official_names", "templates", "ideas"):
        out[name] = [*base[name], *mine[name]]  # type: ignore[literal-required]
    return out


def diff(old: StrategyData, new: StrategyData) -> list[dict[str, Any]]:
    """Field-by-field changes, for the side-by-side view: removed and added items per field."""
    rows: list[dict[str, Any]] = []
    for name, label in FIELD_LABELS.items():
        a, b = old.get(name), new.get(name)  # type: ignore[misc]
        if a == b:
            continue
        key_labels = _key_labels(name)
        a_items, b_items = _as_lines(a, key_labels), _as_lines(b, key_labels)
        rows.append(
            {
                "field": name,
                "label": label,
                "old": a_items,
                "new": b_items,
                "removed": [x for x in a_items if x not in b_items],
                "added": [x for x in b_items if x not in a_items],
            }
        )
    return rows


def _as_lines(value: Any, labels: dict[str, str] | None = None) -> list[str]:
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()] or ([value] if value else [])
    if isinstance(value, dict):
        labels = labels or {}
        value = {labels.get(k, k): v for k, v in value.items()}
        return [
            f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in sorted(value.items())
        ]
    lines = []
    for item in value or []:
        if isinstance(item, dict):
            lines.append(
                " | ".join(", ".join(v) if isinstance(v, list) else str(v) for v in item.values())
            )
        else:
            lines.append(str(item))
    return lines


def _key_labels(name: str) -> dict[str, str] | None:
    if name == "target_mix":
        return {c.value: str(c.label) for c in PostCategory}
    if name == "cadence":
        return {p.value: str(p.label) for p in Platform}
    return None


def sections_changed(old: StrategyData | None, new: StrategyData) -> set[str]:
    base = old or empty_data()
    return {
        section
        for section, fields in SECTIONS.items()
        if any(base.get(f) != new.get(f) for f in fields)  # type: ignore[misc]
    }
