"""Sessions live in the database alone, so deleting one ends it and a cache outage cannot."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_deleting_a_session_row_signs_its_holder_out(client):
    user = make_user()
    client.post(reverse("accounts:login"), {"username": user.username, "password": "a-long-test-password"})
    assert client.get(reverse("accounts:account")).status_code == 200
    Session.objects.all().delete()  # as a restore or an admin's clean-up does
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
