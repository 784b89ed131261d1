"""API errors are JSON everywhere: the POST rate limit, a sign-in lockout and server errors included."""

import json

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"


def ask_for_token(client, username, password):
    body = json.dumps({"username": username, "password": password})
    return client.post(TOKEN_URL, body, content_type="application/json")


def test_the_rate_limited_token_endpoint_answers_json_429_with_retry_after(client, settings):
    settings.RATE_LIMITS = {"api:token": (2, 600)}
    for _ in range(2):
        assert ask_for_token(client, "nobody", "wrong").status_code == 400
    response = ask_for_token(client, "nobody", "wrong")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 0 < int(response["Retry-After"]) <= 600
    assert response.json()["detail"].startswith("Too many requests from your address")


def test_a_locked_out_username_gets_json_429_from_the_token_endpoint_even_with_the_right_password(client):
    user = make_user()
    statuses = [ask_for_token(client, user.username, "wrong").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]  # the fifth failure locks the pair out, as on the sign-in page
    response = ask_for_token(client, user.username, "a-long-test-password")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "900"  # AXES_COOLOFF_TIME: 15 minutes
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert "token" not in response.json()
