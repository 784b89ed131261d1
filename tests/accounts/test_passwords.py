"""Changing a password, and resetting a forgotten one by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from accounts.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_password_change_needs_sign_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_keeps_the_user_signed_in(client):
    user = make_user(password=PASSWORD)
    client.force_login(user)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "another long secret", "new_password2": "another long secret"},
    )
    assertRedirects(response, reverse("accounts:account"), fetch_redirect_response=False)
    assert "Your password is changed." in text(client.get(reverse("accounts:account")))
    user.refresh_from_db()
    assert user.check_password("another long secret")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"old_password": "wrong", "new_password1": "another long secret", "new_password2": "another long secret"},
            "Your old password was entered incorrectly.",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "too short", "new_password2": "too short"},
            "This password is too short. It must contain at least 12 characters.",
        ),
    ],
)
def test_password_change_bad_input_explains_itself(client, data, message):
    user = make_user(password=PASSWORD)
    client.force_login(user)
    response = client.post(CHANGE, data)
    assert response.status_code == 200
    assert message in text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_email(client):
    user = make_user(username="casey", email="casey@example.com", password=PASSWORD)
    response = client.post(RESET, {"email": "casey@example.com"})
    assertRedirects(response, reverse("accounts:password_reset_done"), fetch_redirect_response=False)
    assert "Check your email" in text(client.get(response["Location"]))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["casey@example.com"]
    assert message.subject == "Reset your password for the AI Hiring Guide"
    assert "Hello casey," in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text(form_page)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short." in text(response)
    response = client.post(
        set_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    )
    assertRedirects(response, reverse("accounts:password_reset_complete"), fetch_redirect_response=False)
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")

    used = client.get(link, follow=True)
    assert "This link does not work any more" in text(used)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(RESET, {"email": "nobody@example.com"})
    assertRedirects(response, reverse("accounts:password_reset_done"), fetch_redirect_response=False)
    assert mail.outbox == []


def test_password_reset_with_a_bad_address_explains_itself(client):
    response = client.post(RESET, {"email": "not an address"})
    assert "Enter a valid email address." in text(response)


def test_password_reset_with_a_forged_link(client):
    user = make_user()
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "forged-token"]))
    assert "This link does not work any more" in text(response)
    assert User.objects.get(pk=user.pk).check_password("a-long-test-password")
