"""Django's English empty choice never reaches a form (it has no Indonesian translation)."""

from django import forms
from django.utils import translation

from warta.institutions.models import Agency


def test_an_empty_choice_reads_indonesian() -> None:
    class Form(forms.Form):
        agency = forms.ModelChoiceField(queryset=Agency.objects.none())

    with translation.override("id"):
        html = str(Form()["agency"])
    assert "Select an option" not in html and "— Pilih —" in html
