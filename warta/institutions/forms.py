"""Forms of the coordinator's pages; they only parse input, the services validate rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from warta.core.forms import DateInput
from warta.institutions.models import Agency, Officer, Region


class SetupForm(forms.Form):
    token = forms.CharField(
        label=_("Token penyiapan"), max_length=200, widget=forms.PasswordInput(render_value=True)
    )
    name = forms.CharField(
        label=_("Nama pemerintah daerah"), max_length=200, help_text=_("Misalnya: Kota Bontang")
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=Region.Kind.choices)
    timezone = forms.ChoiceField(
        label=_("Zona waktu"),
        choices=[
            ("Asia/Jakarta", "WIB — Asia/Jakarta"),
            ("Asia/Pontianak", "WIB — Asia/Pontianak"),
            ("Asia/Makassar", "WITA — Asia/Makassar"),
            ("Asia/Jayapura", "WIT — Asia/Jayapura"),
        ],
    )
    coordinator_name = forms.CharField(
        label=_("Nama lengkap koordinator"), max_length=300, required=False
    )
    coordinator_username = forms.CharField(label=_("Nama pengguna koordinator"), max_length=150)
    coordinator_email = forms.EmailField(label=_("Surel koordinator"))
    coordinator_password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)
    coordinator_password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("coordinator_password") != data.get("coordinator_password2"):
            self.add_error("coordinator_password2", _("Kedua kata sandi tidak sama."))
        return data


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=40)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Agency.Kind.choices)


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:  # type: ignore[override]
        return f"{obj.short_name} — {obj.name}"


class OfficerForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Officer.Role.choices)
    agencies = AgencyChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password = forms.CharField(
        label=_("Kata sandi awal"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Kosongkan untuk membuat tautan agar petugas menetapkan sandinya sendiri."),
    )

    def __init__(self, *args: object, region: Region, editing: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agencies"].queryset = Agency.objects.filter(region=region, is_active=True)  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]
            del self.fields["password"]


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput)


class TermForm(forms.Form):
    head_name = forms.CharField(label=_("Nama pimpinan"), max_length=200)
    title = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    start = forms.DateField(label=_("Mulai"), widget=DateInput())
    end = forms.DateField(
        label=_("Selesai"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan bila masih menjabat."),
    )


class TermCloseForm(forms.Form):
    end = forms.DateField(label=_("Selesai"), widget=DateInput())


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis data"),
        choices=[
            ("agencies", _("Perangkat daerah")),
            ("officers", _("Petugas")),
            ("channels", _("Kanal")),
        ],
    )
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa atau program mana, misalnya: dasbor Diskominfo."),
    )
    expires = forms.ChoiceField(
        label=_("Berlaku"),
        required=False,
        choices=[
            ("90", _("90 hari")),
            ("30", _("30 hari")),
            ("365", _("1 tahun")),
        ],
    )
