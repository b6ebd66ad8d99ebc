from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Agency
from warta.lib.platforms import ConnectionMode, Platform


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:  # type: ignore[override]
        return f"{obj.short_name} — {obj.name}"


class ChannelForm(forms.Form):
    agency = AgencyChoice(label=_("Perangkat daerah"), queryset=Agency.objects.none())
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=Platform.choices,
        help_text=_(
            "WhatsApp Business (pesan): pesan warga dan pemberitahuan PPID lewat Cloud API, "
            "bukan untuk unggahan; pilih cara tersambung API platform. Saluran WhatsApp "
            "(manual): unggahan disiapkan warta dan diposting petugas."
        ),
    )
    handle = forms.CharField(
        label=_("Nama akun"), max_length=200, help_text=_("Misalnya @diskominfo.bontang")
    )
    url = forms.CharField(label=_("Alamat (URL)"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("Cara tersambung"), choices=ConnectionMode.choices, initial=ConnectionMode.MANUAL
    )
    external_id = forms.CharField(label=_("ID di platform"), max_length=200, required=False)

    def __init__(self, *args: object, agencies: object, editing: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if editing:
            del self.fields["agency"]


class CredentialsForm(forms.Form):
    """Secrets go in, never out: the inputs are always empty when shown."""

    access_token = forms.CharField(
        label=_("Token akses"),
        required=False,
        max_length=4000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    refresh_token = forms.CharField(
        label=_("Token penyegar"),
        required=False,
        max_length=4000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    app_secret = forms.CharField(
        label=_("Rahasia aplikasi"),
        required=False,
        max_length=4000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    base_url = forms.URLField(
        label=_("Alamat server (Mastodon, situs web)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    token_expires_at = forms.DateTimeField(
        label=_("Token berlaku sampai"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if not any(data.get(k) for k in ("access_token", "refresh_token", "app_secret")):
            raise forms.ValidationError(_("Isi paling sedikit satu token atau rahasia."))
        return data

    def credentials(self) -> dict[str, str]:
        keys = ("access_token", "refresh_token", "app_secret", "base_url")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k)}


def _secret(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=4000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class WhatsAppConnectForm(forms.Form):
    """What WhatsApp Manager and the Meta app dashboard show; secrets never echoed back."""

    phone_number_id = forms.CharField(
        label=_("ID nomor telepon (Phone number ID)"),
        max_length=32,
        help_text=_(
            "WhatsApp Manager → Alat akun → Nomor telepon, atau Meta for Developers → "
            "WhatsApp → Konfigurasi API."
        ),
    )
    waba_id = forms.CharField(
        label=_("ID Akun WhatsApp Business (WABA ID)"),
        max_length=32,
        help_text=_("Di halaman yang sama; dipakai untuk membaca templat pesan yang disetujui."),
    )
    access_token = _secret(
        _("Token pengguna sistem (system user)"),
        _(
            "Buat di Meta Business Suite → Pengguna sistem, dengan izin whatsapp_business_messaging "
            "dan whatsapp_business_management. Token ini tidak kedaluwarsa."
        ),
    )
    app_secret = _secret(
        _("Rahasia aplikasi (App secret)"),
        _(
            "Meta for Developers → Pengaturan aplikasi → Dasar. warta memakainya untuk memeriksa "
            "tanda tangan setiap webhook; webhook tanpa tanda tangan yang cocok ditolak."
        ),
    )
    verify_token = _secret(
        _("Token verifikasi webhook"),
        _(
            "Kata sandi buatan Anda sendiri (paling sedikit 8 karakter); isi yang sama di kolom "
            "Verify token saat mendaftarkan webhook di Meta."
        ),
    )
