"""Guessing passwords: five wrong ones lock the user name out for a while, on the site's sign-in page
and on the admin's, with a Spanish page in the site's layout; the right password is refused while
locked. Case and spaces do not make a new user name; an empty user name locks nobody."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "s3cret-pass"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("ingeniero", password=PASSWORD, is_staff=True)


def _post(client, username: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(client, user, settings) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _post(client, "ingeniero", "wrong").status_code == 200
    locked = _post(client, "ingeniero", "wrong")
    assert locked.status_code == 429
    response = _post(client, "ingeniero", PASSWORD)
    assert response.status_code == 429 and not _signed_in(client)
    body = response.content.decode()
    assert "Demasiadas contraseñas equivocadas" in body and "15 minutos" in body
    assert 'lang="es-co"' in body and "sma-login" in body  # the site's layout, not a bare text
    assert "Traceback" not in body


def test_the_lock_ends_after_the_cool_off(client, user, settings) -> None:
    for _ in range(5):
        _post(client, "ingeniero", "wrong")
    assert _post(client, "ingeniero", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert _post(client, "ingeniero", PASSWORD).status_code == 302 and _signed_in(client)


def test_tries_while_locked_do_not_make_the_lock_longer(client, user) -> None:
    for _ in range(5):
        _post(client, "ingeniero", "wrong")
    locked_at = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=10))
    for password in ["wrong", PASSWORD, "wrong"]:  # ten minutes later: still locked, not counted
        assert _post(client, "ingeniero", password).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=16))
    assert _post(client, "ingeniero", PASSWORD).status_code == 302 and _signed_in(client)


def test_an_administrator_lifts_a_lock_with_the_documented_command(client, user) -> None:
    for variant in ["Ingeniero"] * 5:
        _post(client, variant, "wrong")
    assert _post(client, "ingeniero", PASSWORD).status_code == 429
    call_command("axes_reset_username", "ingeniero", stdout=StringIO())
    assert _post(client, "ingeniero", PASSWORD).status_code == 302


def test_fewer_failures_then_the_right_password_signs_in_and_resets_the_count(client, user) -> None:
    for _ in range(4):
        _post(client, "ingeniero", "wrong")
    assert _post(client, "ingeniero", PASSWORD).status_code == 302 and _signed_in(client)
    client.logout()
    for _ in range(4):
        _post(client, "ingeniero", "wrong")
    assert _post(client, "ingeniero", PASSWORD).status_code == 302  # the count started again


def test_case_and_spaces_share_one_counter(client, user) -> None:
    for variant in ["ingeniero", "INGENIERO", " ingeniero ", "Ingeniero", "ingeniero\t"]:
        _post(client, variant, "wrong")
    assert _post(client, "ingeniero", PASSWORD).status_code == 429
    assert not _signed_in(client)


def test_another_user_is_not_locked_by_someone_elses_failures(client, user, django_user_model) -> None:
    django_user_model.objects.create_user("gerente", password=PASSWORD)
    for _ in range(5):
        _post(client, "ingeniero", "wrong")
    assert _post(client, "gerente", PASSWORD).status_code == 302


def test_an_empty_user_name_locks_nobody(client, user) -> None:
    for _ in range(10):
        response = _post(client, "", "wrong")
        assert response.status_code == 200  # the form's own error
        _post(client, "   ", "wrong")
    assert not AccessAttempt.objects.exists()
    assert _post(client, "ingeniero", PASSWORD).status_code == 302 and _signed_in(client)


def test_the_admin_login_is_protected_too(client, user) -> None:
    for _ in range(5):
        assert _post(client, "ingeniero", "wrong", ADMIN_LOGIN).status_code in (200, 429)
    response = _post(client, "ingeniero", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429 and not _signed_in(client)
    # One counter for both doors.
    assert _post(client, "ingeniero", PASSWORD).status_code == 429


def test_failures_on_the_admin_and_the_site_add_up(client, user) -> None:
    for _ in range(3):
        _post(client, "ingeniero", "wrong", ADMIN_LOGIN)
    for _ in range(2):
        _post(client, "ingeniero", "wrong")
    assert _post(client, "ingeniero", PASSWORD, ADMIN_LOGIN).status_code == 429


def test_a_signed_in_user_sent_back_to_the_login_page_lands_on_the_home_page(client, user) -> None:
    client.force_login(user)
    for url in [f"{LOGIN}?next={LOGIN}", f"{LOGIN}?next={LOGIN}%3Fnext%3D%2F", LOGIN]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("home")
    assert client.get(f"{LOGIN}?next=/casos/")["Location"] == "/casos/"
