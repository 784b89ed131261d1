"""Light pages: the home page's HTML, CSS and JS come to under 60 KB compressed, all from this site."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
GZIP = {"accept-encoding": "gzip, deflate, br"}


def assets_of(html):
    """Every style sheet, script and image the page loads."""
    return re.findall(r'<(?:link rel="stylesheet"|script|img)[^>]*? (?:href|src)="([^"]+)"', html)


def test_home_page_html_css_and_js_fit_in_60_kb_compressed(client, loaded_edition):
    response = client.get(reverse("home"), headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    total = len(response.content)
    assets = assets_of(html)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by this site"
        path = finders.find(url.removeprefix("/static/"))
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=9))  # as collectstatic stores it
    assert total < BUDGET, f"{total / 1024:.1f} KB"


def test_cached_page_is_compressed_and_still_answers_304(client, loaded_edition):
    client.get(reverse("home"), headers=GZIP)
    response = client.get(reverse("home"), headers=GZIP)
    assert "public" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    etag = response["ETag"]
    assert client.get(reverse("home"), headers={**GZIP, "if-none-match": etag}).status_code == 304


def test_clients_that_do_not_accept_gzip_get_plain_html(client, loaded_edition):
    response = client.get(reverse("home"))
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"<!doctype html>")
