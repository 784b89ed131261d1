"""What every page's footer and head offer: the offer check, changes, the feeds, the methodology and the API docs."""

import pytest

pytestmark = pytest.mark.django_db

ABOUT_URL = "/about/data/"


@pytest.mark.parametrize("url", ["/", "/companies/", "/advice/", ABOUT_URL, "/offer-check/"])
def test_footer_links_offer_check_changes_feeds_methodology_and_api_docs(client, loaded_edition, url):
    body = client.get(url).content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    for href in ["/offer-check/", "/changes/", "/feed/", "/changes/feed/", ABOUT_URL, "/api/docs/"]:
        assert f'href="{href}"' in footer
    assert 'href="/api/"' not in footer
    assert '<a href="/api/docs/">Open data API</a>' in footer


def test_every_page_announces_the_site_feed_in_its_head(client, loaded_edition):
    head = client.get("/").content.decode().split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml" href="/feed/"' in head
    assert '<link rel="alternate" type="application/atom+xml" href="/changes/feed/"' in head
