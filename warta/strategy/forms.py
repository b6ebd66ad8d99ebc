"""Strategy versions edited as plain text: one item a line, phone-friendly, no JavaScript.

The form only converts text to the JSON document; validation lives in schema.validate_data.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warta.lib.categories import PostCategory
from warta.lib.platforms import Platform
from warta.strategy.schema import StrategyData, empty_data

SEP = "|"

# Which form field shows the errors of which part of the document.
ERROR_FIELD = {
    "purpose": "purpose",
    "audiences": "audiences",
    "tone_rules": "tone_rules",
    "hashtags": "hashtags",
    "mentions": "mentions",
    "words_use": "words_use",
    "words_avoid": "words_avoid",
    "rule_patterns": "rule_patterns",
    "official_names": "official_names",
    "official_contacts": "official_contacts",
    "visual_notes": "visual_notes",
    "templates": "templates",
    "ideas": "ideas",
    "reason": "reason",
    "pillars": None,
    "target_mix": None,
    "cadence": None,
    "__all__": None,
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _split(line: str, parts: int) -> list[str]:
    pieces = [p.strip() for p in line.split(SEP, parts - 1)]
    return pieces + [""] * (parts - len(pieces))


class StrategyForm(forms.Form):
    purpose = forms.CharField(
        label=_("Tujuan komunikasi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audiences = forms.CharField(
        label=_("Khalayak (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    tone_rules = forms.CharField(
        label=_("Aturan gaya bahasa (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    hashtags = forms.CharField(label=_("Tagar wajib (dipisah spasi atau baris)"), required=False)
    mentions = forms.CharField(label=_("Sebutan (mention) wajib"), required=False)
    words_use = forms.CharField(
        label=_("Kata/frasa yang dianjurkan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    words_avoid = forms.CharField(
        label=_("Kata yang dihindari: kata | pengganti"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    rule_patterns = forms.CharField(
        label=_("Pola aturan (regex): pola | pesan untuk petugas"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    official_names = forms.CharField(
        label=_("Nama resmi: Nama Benar | salah tulis 1, salah tulis 2"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    official_contacts = forms.CharField(
        label=_("Kontak resmi yang boleh dimuat (nomor, surel, alamat; satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    visual_notes = forms.CharField(
        label=_("Catatan identitas visual"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    templates = forms.CharField(
        label=_("Templat: baris “pilar | nama”, lalu isinya, dipisah baris “---”"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    ideas = forms.CharField(
        label=_("Bank ide: pilar | ide"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    reason = forms.CharField(
        label=_("Alasan perubahan (wajib)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cat in PostCategory:
            self.fields[f"pillar_{cat.value}_label"] = forms.CharField(
                label=_("Label pilar “%(c)s”") % {"c": cat.label}, required=False, max_length=100
            )
            self.fields[f"pillar_{cat.value}_desc"] = forms.CharField(
                label=_("Keterangan"), required=False, max_length=1000
            )
            self.fields[f"pillar_{cat.value}_programmes"] = forms.CharField(
                label=_("Kode program Renstra"),
                help_text=_("Dari SIPD, dipisah koma, mis. 1.02.02, 1.02.03"),
                required=False,
                max_length=400,
            )
            self.fields[f"mix_{cat.value}"] = forms.IntegerField(
                label=_("Target %"), required=False, min_value=0, max_value=100
            )
        for platform in Platform:
            self.fields[f"cadence_{platform.value}"] = forms.FloatField(
                label=platform.label, required=False, min_value=0, max_value=200
            )

    def pillar_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "label": cat.label,
                "name": self[f"pillar_{cat.value}_label"],
                "desc": self[f"pillar_{cat.value}_desc"],
                "programmes": self[f"pillar_{cat.value}_programmes"],
                "mix": self[f"mix_{cat.value}"],
            }
            for cat in PostCategory
        ]

    def cadence_fields(self) -> list[Any]:
        return [self[f"cadence_{p.value}"] for p in Platform]

    @staticmethod
    def initial_from(data: StrategyData) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "purpose": data["purpose"],
            "audiences": "\n".join(data["audiences"]),
            "tone_rules": "\n".join(data["tone_rules"]),
            "hashtags": " ".join(data["hashtags"]),
            "mentions": " ".join(data["mentions"]),
            "words_use": "\n".join(data["words_use"]),
            "words_avoid": "\n".join(
                f"{w['word']} {SEP} {w['instead']}" if w["instead"] else w["word"]
                for w in data["words_avoid"]
            ),
            "rule_patterns": "\n".join(
                f"{r['pattern']} {SEP} {r['message']}" for r in data["rule_patterns"]
            ),
            "official_names": "\n".join(
                f"{n['name']} {SEP} {', '.join(n['wrong'])}" if n["wrong"] else n["name"]
                for n in data["official_names"]
            ),
            "official_contacts": "\n".join(data["official_contacts"]),
            "visual_notes": data["visual_notes"],
            "templates": "\n---\n".join(
                f"{t['pillar']} {SEP} {t['name']}\n{t['body']}" for t in data["templates"]
            ),
            "ideas": "\n".join(f"{i['pillar']} {SEP} {i['text']}" for i in data["ideas"]),
        }
        for p in data["pillars"]:
            initial[f"pillar_{p['category']}_label"] = p["label"]
            initial[f"pillar_{p['category']}_desc"] = p["description"]
            initial[f"pillar_{p['category']}_programmes"] = ", ".join(p.get("programmes", []))
        for cat, pct in data["target_mix"].items():
            initial[f"mix_{cat}"] = pct
        for platform, per_week in data["cadence"].items():
            initial[f"cadence_{platform}"] = per_week
        return initial

    def to_data(self) -> dict[str, Any]:
        """The raw document for schema.validate_data (call after is_valid)."""
        c = self.cleaned_data
        data: dict[str, Any] = dict(empty_data())
        data["purpose"] = c["purpose"]
        data["visual_notes"] = c["visual_notes"]
        for name in ("audiences", "tone_rules", "words_use", "official_contacts"):
            data[name] = _lines(c[name])
        data["hashtags"] = c["hashtags"].split()
        data["mentions"] = c["mentions"].split()
        data["words_avoid"] = [
            dict(zip(("word", "instead"), _split(line, 2), strict=True))
            for line in _lines(c["words_avoid"])
        ]
        data["rule_patterns"] = [
            dict(zip(("pattern", "message"), _split(line, 2), strict=True))
            for line in _lines(c["rule_patterns"])
        ]
        data["official_names"] = [
            {"name": name, "wrong": [w.strip() for w in wrong.split(",") if w.strip()]}
            for name, wrong in (_split(line, 2) for line in _lines(c["official_names"]))
        ]
        data["ideas"] = [
            dict(zip(("pillar", "text"), _split(line, 2), strict=True))
            for line in _lines(c["ideas"])
        ]
        templates = []
        for block in (c["templates"] or "").replace("\r\n", "\n").split("\n---\n"):
            if not block.strip():
                continue
            head, _nl, body = block.strip().partition("\n")
            pillar, name = _split(head, 2)
            templates.append({"pillar": pillar, "name": name, "body": body.strip()})
        data["templates"] = templates
        data["pillars"] = [
            {
                "category": cat.value,
                "label": c.get(f"pillar_{cat.value}_label") or "",
                "description": c.get(f"pillar_{cat.value}_desc") or "",
                "programmes": c.get(f"pillar_{cat.value}_programmes") or "",
            }
            for cat in PostCategory
            if c.get(f"pillar_{cat.value}_label")
            or c.get(f"pillar_{cat.value}_desc")
            or c.get(f"pillar_{cat.value}_programmes")
            or c.get(f"mix_{cat.value}")
        ]
        data["target_mix"] = {cat.value: c.get(f"mix_{cat.value}") or 0 for cat in PostCategory}
        data["cadence"] = {p.value: c.get(f"cadence_{p.value}") or 0 for p in Platform}
        return data

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for key, messages in message_dict.items():
            target = ERROR_FIELD.get(key)
            for message in messages:
                self.add_error(target, message if target else f"{message}")


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LocalDayForm(forms.Form):
    name = forms.CharField(label=_("Nama hari"), max_length=200)
    day = forms.IntegerField(label=_("Tanggal"), min_value=1, max_value=31)
    month = forms.IntegerField(label=_("Bulan"), min_value=1, max_value=12)
    year = forms.IntegerField(
        label=_("Tahun (kosongkan bila tiap tahun)"), required=False, min_value=2000, max_value=2100
    )
    note = forms.CharField(label=_("Ide unggahan"), required=False, max_length=500)


class AnglesForm(forms.Form):
    report = forms.CharField(
        label=_("Draf laporan kegiatan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
