from collections.abc import Sequence

from django import forms
from django.db.models import Model
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
        label=_("Kanal"), coerce=int, widget=forms.CheckboxSelectMultiple
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


CROP_CHOICES = [
    ("", _("Asli")),
    ("1:1", _("Persegi 1:1")),
    ("4:5", _("Potret 4:5")),
    ("1.91:1", _("Lanskap 1,91:1")),
    ("16:9", _("Lebar 16:9")),
    ("9:16", _("Tegak 9:16")),
]
FOCUS_CHOICES = [
    ("center", _("Tengah")),
    ("top", _("Atas")),
    ("bottom", _("Bawah")),
    ("left", _("Kiri")),
    ("right", _("Kanan")),
]


class ComposeForm(forms.Form):
    """The composer: one message, its media and channels, one time; per channel its own
    text, crop and time (fields `c<channel id>_<name>`, added for the agency's channels)."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Pesan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Satu pesan untuk semua kanal; ubah per kanal di bawah bila perlu."),
    )
    hashtags = forms.CharField(label=_("Tagar"), required=False, max_length=1000)
    title = forms.CharField(label=_("Judul internal"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Kategori"), choices=PostCategory.choices, initial=PostCategory.OTHER
    )
    channels = forms.TypedMultipleChoiceField(
        label=_("Kanal"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    media_ids = forms.TypedMultipleChoiceField(
        label=_("Media"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    scheduled_at = LocalDateTimeField(label=_("Waktu terbit"), required=False)
    repeat_weeks = forms.IntegerField(
        label=_("Ulangi mingguan (jumlah minggu)"),
        min_value=1,
        max_value=12,
        initial=1,
        required=False,
        help_text=_("1 = sekali. 4 = minggu ini dan tiga minggu berikutnya, jam yang sama."),
    )

    def __init__(self, *args: object, channels: Sequence[Model], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for channel in channels:
            pk = channel.pk
            self.fields[f"c{pk}_caption"] = forms.CharField(
                label=_("Teks khusus kanal ini"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Kosong = pesan utama."),
            )
            self.fields[f"c{pk}_hashtags"] = forms.CharField(
                label=_("Tagar khusus"), required=False, max_length=1000
            )
            self.fields[f"c{pk}_title"] = forms.CharField(
                label=_("Judul (YouTube, TikTok foto)"), required=False, max_length=200
            )
            self.fields[f"c{pk}_crop"] = forms.ChoiceField(
                label=_("Potongan gambar"), choices=CROP_CHOICES, required=False
            )
            self.fields[f"c{pk}_focus"] = forms.ChoiceField(
                label=_("Bagian yang dipertahankan"), choices=FOCUS_CHOICES, required=False
            )
            self.fields[f"c{pk}_scheduled_at"] = LocalDateTimeField(
                label=_("Waktu khusus kanal ini"), required=False
            )
