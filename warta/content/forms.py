from django import forms
from django.utils.translation import gettext_lazy as _

from warta.lib.categories import PostCategory

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A time typed in the region's zone (the active one); stored aware, hence in UTC."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(input_formats=LOCAL_INPUT, **kwargs)  # type: ignore[arg-type]


class PostForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Perangkat daerah"), coerce=int)
    title = forms.CharField(label=_("Judul internal"), max_length=200, required=False)
    message = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Kategori"), choices=PostCategory.choices)
    channels = forms.TypedMultipleChoiceField(
        label=_("Kanal"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "WhatsApp Business (pesan) tidak ada di sini: kanal itu untuk pesan warga, bukan "
            "unggahan. Saluran WhatsApp diposting manual: warta menyiapkan teks dan media, "
            "mengingatkan pada waktunya, lalu Anda menempel tautannya."
        ),
    )
    media_ids = forms.TypedMultipleChoiceField(
        label=_("Media dari pustaka"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("Judul internal"), max_length=200, required=False)
    message = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Kategori"), choices=PostCategory.choices)
    media_ids = forms.TypedMultipleChoiceField(
        label=_("Media dari pustaka"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the page was opened at: a save from an older one is a conflict.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class VariantForm(forms.Form):
    caption = forms.CharField(
        label=_("Keterangan / deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    hashtags = forms.CharField(label=_("Tagar"), required=False, max_length=1000)
    first_comment = forms.CharField(
        label=_("Komentar pertama"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    title = forms.CharField(label=_("Judul (YouTube, TikTok foto)"), required=False, max_length=200)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ScheduleForm(forms.Form):
    scheduled_at = LocalDateTimeField(label=_("Waktu terbit"))


class MoveForm(forms.Form):
    """Drag and drop on the calendar: a new local day; the time of day stays."""

    date = forms.DateField(input_formats=["%Y-%m-%d"])


class ManualPublishForm(forms.Form):
    url = forms.CharField(label=_("Tautan unggahan"), max_length=500)


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class MediaUploadForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Perangkat daerah"), coerce=int)
    file = forms.FileField(label=_("Berkas"))
    alt_text = forms.CharField(
        label=_("Teks alternatif (untuk pembaca layar)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CopyForm(forms.Form):
    agencies = forms.TypedMultipleChoiceField(
        label=_("Salin ke perangkat daerah"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
