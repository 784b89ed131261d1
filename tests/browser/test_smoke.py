def test_healthz_in_chromium(live_server, page):
    page.goto(f"{live_server.url}/healthz")
    assert '"status": "ok"' in page.content()
