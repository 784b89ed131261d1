"""django-axes: five failed sign-ins for one username from one address lock that pair out for 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def fail(client, url, username="casey", times=1, **extra):
    response = None
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong password"}, **extra)
    return response


def test_four_failures_do_not_lock_out(client):
    make_user(username="casey", password=PASSWORD)
    assert fail(client, LOGIN, times=4).status_code == 200
    response = client.post(LOGIN, {"username": "casey", "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # reset on success


def test_fifth_failure_locks_out_with_a_clear_page(client):
    make_user(username="casey", password=PASSWORD)
    response = fail(client, LOGIN, times=5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>Too many sign-in attempts</h1>" in page
    assert "After 5 wrong passwords in a row, signing in as <strong>casey</strong>" in page
    assert "is paused for 15 minutes" in page
    assert reverse("accounts:password_reset") in page
    assert '<header class="site-header">' in page  # in the site's own layout


def test_locked_out_user_cannot_sign_in_even_with_the_right_password(client):
    make_user(username="casey", password=PASSWORD)
    fail(client, LOGIN, times=5)
    response = client.post(LOGIN, {"username": "casey", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client):
    make_user(username="casey", password=PASSWORD)
    make_user(username="drew", password=PASSWORD)
    fail(client, LOGIN, times=5)
    assert client.post(LOGIN, {"username": "drew", "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    other_address = {"REMOTE_ADDR": "10.0.0.2"}
    assert client.post(LOGIN, {"username": "casey", "password": PASSWORD}, **other_address).status_code == 302


def test_lockout_ends_after_15_minutes(client):
    make_user(username="casey", password=PASSWORD)
    fail(client, LOGIN, times=5)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert client.post(LOGIN, {"username": "casey", "password": PASSWORD}).status_code == 302


def test_admin_login_is_protected_too(client):
    make_user(username="editor", password=PASSWORD, is_staff=True)
    response = fail(client, ADMIN_LOGIN, username="editor", times=5)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 429


def test_failures_count_across_the_site_and_admin_login(client):
    make_user(username="casey", password=PASSWORD)
    fail(client, LOGIN, times=3)
    assert fail(client, ADMIN_LOGIN, times=2).status_code == 429


def test_password_reset_ends_the_lockout(client):
    make_user(username="casey", email="casey@example.com", password=PASSWORD)
    fail(client, LOGIN, times=5)
    client.post(reverse("accounts:password_reset"), {"email": "casey@example.com"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    response = client.get(link)
    client.post(
        response["Location"], {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    )
    assert not AccessAttempt.objects.exists()
    assert client.post(LOGIN, {"username": "casey", "password": "a brand new passphrase"}).status_code == 302


def test_api_token_login_counts_and_respects_the_lockout(client):
    make_user(username="casey", password=PASSWORD)
    token_url = reverse("api:token")
    for _ in range(5):
        client.post(token_url, {"username": "casey", "password": "wrong"}, content_type="application/json")
    assert client.post(LOGIN, {"username": "casey", "password": PASSWORD}).status_code == 429
    response = client.post(token_url, {"username": "casey", "password": PASSWORD}, content_type="application/json")
    assert response.status_code != 200
    assert "token" not in response.json()
