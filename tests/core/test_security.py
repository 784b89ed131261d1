"""Security headers on every response, and the production settings: HTTPS, HSTS, __Host- cookies, check --deploy."""

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)

SAME_ORIGIN_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

PROD_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "guide.example.com",
}


@pytest.mark.parametrize("url", ["/", "/healthz", "/admin/login/", "/no-such-page/"])
def test_pages_carry_the_strict_content_security_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == STRICT_CSP
    for header, value in SAME_ORIGIN_HEADERS.items():
        assert response[header] == value, header
    assert "camera=()" in response["Permissions-Policy"]


def test_static_files_are_same_origin_resources_too(client):
    response = client.get(f"{settings.STATIC_URL}css/base.css")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_policy_allows_no_inline_code():
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in settings.SECURE_CSP[directive]
        assert "'unsafe-eval'" not in settings.SECURE_CSP[directive]


@pytest.fixture
def prod_security(monkeypatch):
    """The security settings of aihiring.settings.prod, applied to this test."""
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    prod = importlib.reload(importlib.import_module("aihiring.settings.prod"))
    names = [
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
    ]
    with override_settings(**{name: getattr(prod, name) for name in names}):
        yield prod


def test_production_redirects_plain_http_to_https(client, prod_security):
    response = client.get("/companies/?q=ai", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/companies/?q=ai"


def test_production_health_checks_work_over_plain_http(client, prod_security):
    assert client.get("/healthz").status_code == 200


def test_production_sends_hsts_for_a_year_over_https(client, prod_security):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_cookies_use_the_host_prefix(client, prod_security):
    make_user(username="carol", password="a-long-test-password", is_staff=True)
    https = {"X-Forwarded-Proto": "https"}
    login_page = client.get(reverse("admin:login"), headers=https)
    csrf = login_page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]

    response = client.post(
        reverse("admin:login"),
        {"username": "carol", "password": "a-long-test-password", "next": "/admin/"},
        headers=https,
    )

    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
    assert session["samesite"] == "Lax"
    assert "sessionid" not in response.cookies


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", "--settings=aihiring.settings.prod", env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(PROD_ENV))
def test_production_refuses_to_start_without_required_settings(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _manage("check", "--settings=aihiring.settings.prod", env=env)
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def _request(remote_addr="203.0.113.9", forwarded=None):
    from django.test import RequestFactory

    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


def test_client_ip_ignores_x_forwarded_for_without_trusted_proxies(settings):
    from core.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="198.51.100.1")) == "203.0.113.9"


def test_client_ip_takes_the_address_the_trusted_proxy_saw(settings):
    from core.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the load balancer appended the address it really saw.
    assert client_ip(_request(remote_addr="10.0.0.2", forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request(remote_addr="10.0.0.2")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(remote_addr="10.0.0.2", forwarded="1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"


def test_forged_x_forwarded_for_does_not_escape_the_login_lockout(client):
    make_user(username="dana", password="the-right-password-123")
    url = reverse("accounts:login")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "dana", "password": "wrong"}, headers={"X-Forwarded-For": f"10.9.9.{attempt}"})
    response = client.post(
        url, {"username": "dana", "password": "the-right-password-123"}, headers={"X-Forwarded-For": "10.9.9.99"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_forged_x_forwarded_for_does_not_escape_the_api_throttle(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"},
    }
    # A new address each time, so every request reaches the API rather than the page cache.
    statuses = [client.get(f"/api/?n={n}", headers={"X-Forwarded-For": f"10.8.8.{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_sign_up_posts_are_limited_per_address(client):
    url = reverse("accounts:signup")
    limit, seconds = settings.RATE_LIMITS["accounts:signup"]
    for n in range(limit):
        assert client.post(url, {"username": f"spam{n}"}).status_code != 429
    response = client.post(url, {"username": "one-too-many"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= seconds
    assert "Too many attempts" in response.content.decode()
    # Another address is not affected, and reading the page never counts.
    assert client.post(url, {"username": "elsewhere"}, REMOTE_ADDR="198.51.100.20").status_code != 429
    assert client.get(url).status_code == 200


def test_password_reset_emails_are_limited_per_address(client, mailoutbox):
    make_user(username="erin", email="erin@example.com")
    url = reverse("accounts:password_reset")
    limit, _ = settings.RATE_LIMITS["accounts:password_reset"]
    statuses = [client.post(url, {"email": "erin@example.com"}).status_code for _ in range(limit + 1)]
    assert statuses[-1] == 429
    assert len(mailoutbox) == limit
