"""Errors are Indonesian pages with a way back, not Django's bare English ones."""

import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_an_indonesian_page_with_a_way_home(alice_client: Client) -> None:
    response = alice_client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text and 'href="/"' in response.text
    assert "Not Found" not in response.text


def test_a_forbidden_page_says_who_to_ask(world, hana_client: Client) -> None:  # type: ignore[no-untyped-def]
    response = hana_client.get(reverse("core:audit_list"))
    assert response.status_code == 403
    assert "tidak memiliki akses" in response.text and "Forbidden" not in response.text


def test_a_stale_form_is_explained(world) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    assert "Muat ulang halaman" in response.text and "CSRF verification" not in response.text


@override_settings(LANGUAGE_CODE="id")
def test_the_server_error_page_needs_no_request() -> None:
    html = render_to_string("500.html")
    assert "Terjadi gangguan" in html and 'href="/"' in html
