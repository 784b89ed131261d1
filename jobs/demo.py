"""A stand-in for the three providers' public APIs on 127.0.0.1, serving the demo boards in fixtures/jobboards.

`make run` loads the demo postings through the real sync against it: real HTTP, the same client, the same parsers.
It answers the providers' addresses under one prefix each (``/greenhouse/<board>/jobs``, ``/lever/<board>``,
``/ashby/<board>``), pages Lever's answer with ``skip`` and ``limit``, and sends an ``ETag`` it honours.
"""

import hashlib
import json
import threading
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test.utils import override_settings

DEMO_DIR = settings.BASE_DIR / "fixtures" / "jobboards"


def demo_sources():
    """[{company, provider, board}] for every demo board."""
    return json.loads((DEMO_DIR / "sources.json").read_text())


class BoardHandler(BaseHTTPRequestHandler):
    server_version = "DemoBoards/1.0"

    def log_message(self, format, *args):  # quiet: the sync reports what it did
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        segments = [segment for segment in parts.path.split("/") if segment]
        query = parse_qs(parts.query)
        body = self.board_body(segments, query)
        if body is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such board")
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def board_body(self, segments, query):
        if len(segments) == 3 and segments[0] == "greenhouse" and segments[2] == "jobs":
            return self.server.read("greenhouse", segments[1])
        if len(segments) == 2 and segments[0] in ("lever", "ashby"):
            body = self.server.read(segments[0], segments[1])
            if body is not None and segments[0] == "lever" and "limit" in query:
                skip, limit = int(query.get("skip", ["0"])[0]), int(query["limit"][0])
                body = json.dumps(json.loads(body)[skip : skip + limit]).encode()
            return body
        return None


class DemoBoardServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, directory: Path = DEMO_DIR, port: int = 0):
        self.directory = directory
        super().__init__(("127.0.0.1", port), BoardHandler)

    def read(self, provider, board):
        path = self.directory / provider / f"{board}.json"
        if not board.replace("-", "").replace("_", "").replace(".", "").isalnum() or not path.is_file():
            return None
        return path.read_bytes()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def provider_urls(self):
        return {
            "POSTINGS_GREENHOUSE_URL": f"{self.base}/greenhouse",
            "POSTINGS_LEVER_URL": f"{self.base}/lever",
            "POSTINGS_ASHBY_URL": f"{self.base}/ashby",
        }


@contextmanager
def demo_boards():
    """The stand-in, served from a thread, with the providers' addresses in settings pointing at it."""
    server = DemoBoardServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(**server.provider_urls()):
            yield server
    finally:
        server.shutdown()
        server.server_close()
