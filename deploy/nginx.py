"""Render ``deploy/nginx.conf``, and run it on 127.0.0.1 in front of a gunicorn (the bench, the load test, tests).

To install the production site file (placeholders from the environment, defaults below otherwise)::

    NGINX_LISTEN="443 ssl" NGINX_SERVER_NAME=guide.example.com DJANGO_STATIC_ROOT=/srv/aihiring/staticfiles \\
      .venv/bin/python -m deploy.nginx > /etc/nginx/sites-available/aihiring

``envsubst`` with the list of ``PLACEHOLDERS`` gives the same file. ``LocalNginx`` runs the same file as an
unprivileged nginx with its own prefix (config, pid, logs, temp and cache folders in a scratch directory), so it
needs no root, no port below 1024 and leaves the system's nginx alone.
"""

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx.conf"
ROOT = HERE.parent

PLACEHOLDERS = (
    "NGINX_LISTEN",
    "NGINX_SERVER_NAME",
    "NGINX_FORWARDED_PROTO",
    "GUNICORN_BIND",
    "DJANGO_STATIC_ROOT",
    "NGINX_CACHE_DIR",
)
DEFAULTS = {
    "NGINX_LISTEN": "127.0.0.1:8080",
    "NGINX_SERVER_NAME": "localhost 127.0.0.1",
    "NGINX_FORWARDED_PROTO": "$scheme",
    "GUNICORN_BIND": "127.0.0.1:8000",
    "DJANGO_STATIC_ROOT": str(ROOT / "staticfiles"),  # the production settings' default
    "NGINX_CACHE_DIR": "/var/lib/nginx/aihiring-pages",  # Debian's nginx owns /var/lib/nginx
}
# $NAME or ${NAME}, as envsubst reads them; only the names above are replaced (nginx's own are lower case).
_PLACEHOLDER = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def render(values, template=TEMPLATE):
    """The template with each ``$NAME``/``${NAME}`` of ``PLACEHOLDERS`` replaced, as ``envsubst '$NAME ...'`` does."""
    text = Path(template).read_text()
    missing = [name for name in PLACEHOLDERS if not values.get(name)]
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    for name in PLACEHOLDERS:
        if re.search(r"[;{}\n]", values[name]):
            raise ValueError(f"{name}={values[name]!r}: a value may not hold ';', braces or a newline")
    unknown = {m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1)} - set(PLACEHOLDERS)
    if unknown:
        raise ValueError(f"the template names placeholders this renderer does not know: {sorted(unknown)}")

    def substitute(match):
        name = match.group(1) or match.group(2)
        return values[name] if name in PLACEHOLDERS else match.group(0)

    return _PLACEHOLDER.sub(substitute, text)


def values_from_environment(environ=os.environ):
    return {name: environ.get(name) or DEFAULTS[name] for name in PLACEHOLDERS}


# ---------- a local, unprivileged nginx ----------


def binary():
    """The nginx binary (Debian installs it in /usr/sbin, which a non-root PATH may lack), or None."""
    found = shutil.which("nginx")
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"):
        candidate = Path(folder) / "nginx"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _mime_types(nginx):
    """The mime.types beside the nginx.conf this binary was built to read."""
    built = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    match = re.search(r"--conf-path=(\S+)", built)
    candidates = [Path(match.group(1)).parent / "mime.types"] if match else []
    match = re.search(r"--prefix=(\S+)", built)
    candidates += [Path(match.group(1)) / "conf" / "mime.types"] if match else []
    return next((str(path) for path in candidates if path.is_file()), None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MAIN_CONF = """\
# Written by deploy/nginx.py for a local run; the site itself is site.conf, rendered from deploy/nginx.conf.
daemon off;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{
    worker_connections 4096;
}}
http {{
    {mime}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    {access_log}
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/site.conf;
}}
"""


class NginxProcess:
    """An nginx of our own on 127.0.0.1, unprivileged, with its configuration, pid, logs and temp folders under
    ``prefix``: a subclass writes ``prefix/nginx.conf`` for a free port in ``write_config(port)``.

    Entering starts it (trying other ports while another process takes the one chosen), leaving stops it.
    """

    def __init__(self, prefix):
        self.nginx = binary()
        if self.nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.prefix = Path(prefix)
        self.process = None
        self.port = None
        self._log = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def user(self):
        """The ``user`` directive: a master started as root hands its workers to "nobody", who could not read a
        private scratch folder, so they run as whoever started it."""
        return f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""

    def write_config(self, port):
        raise NotImplementedError

    def _command(self, *extra):
        return [self.nginx, "-p", f"{self.prefix}/", "-c", str(self.prefix / "nginx.conf"), "-e", "stderr", *extra]

    def __enter__(self):
        for folder in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        for _ in range(5):  # another process may take the free port between our check and nginx's bind
            port = free_port()
            self.write_config(port)
            check = subprocess.run(self._command("-t", "-q"), capture_output=True, text=True)
            if check.returncode:
                raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
            self._log = open(self.prefix / "nginx.stderr", "w")  # noqa: SIM115 (closed in stop)
            self.process = subprocess.Popen(self._command(), stdout=self._log, stderr=self._log)
            if self._wait(port):
                self.port = port
                return self
            self.stop()
            if "Address already in use" not in self.errors():
                break
        raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def _wait(self, port):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def errors(self):
        parts = []
        for name in ("nginx.stderr", "error.log"):
            path = self.prefix / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast shutdown; SIGQUIT would wait for open connections
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log:
            self._log.close()
            self._log = None

    def __exit__(self, *exc):
        self.stop()


class LocalNginx(NginxProcess):
    """``deploy/nginx.conf`` served by nginx on 127.0.0.1:``port`` in front of ``upstream`` (host:port).

    ``forwarded_proto`` is "https" by default: this nginx speaks plain HTTP, and the production settings redirect
    anything that does not come from a TLS-terminating proxy. ``access_log`` writes ``access.log`` in the prefix.
    """

    def __init__(self, prefix, upstream, static_root, *, forwarded_proto="https", access_log=False, workers="auto"):
        super().__init__(prefix)
        self.upstream = upstream
        self.static_root = str(Path(static_root)).rstrip("/")
        self.forwarded_proto = forwarded_proto
        self.access_log = access_log
        self.workers = workers

    @property
    def cache_dir(self):
        return self.prefix / "cache"

    def write_config(self, port):
        site = render(
            {
                "NGINX_LISTEN": f"127.0.0.1:{port}",
                "NGINX_SERVER_NAME": "localhost 127.0.0.1",
                "NGINX_FORWARDED_PROTO": self.forwarded_proto,
                "GUNICORN_BIND": self.upstream,
                "DJANGO_STATIC_ROOT": self.static_root,
                "NGINX_CACHE_DIR": str(self.cache_dir),
            }
        )
        (self.prefix / "site.conf").write_text(site)
        mime = _mime_types(self.nginx)
        access_log = f"access_log {self.prefix}/access.log;" if self.access_log else "access_log off;"
        (self.prefix / "nginx.conf").write_text(
            MAIN_CONF.format(
                workers=self.workers,
                prefix=self.prefix,
                user=self.user,
                mime=f"include {mime};" if mime else "types { text/css css; application/javascript js; }",
                access_log=access_log,
            )
        )


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(
        description="Print deploy/nginx.conf with its placeholders filled from the environment "
        f"({', '.join(PLACEHOLDERS)}); unset ones take the defaults shown by --defaults."
    )
    parser.add_argument("--defaults", action="store_true", help="list the placeholders and their defaults")
    args = parser.parse_args(argv)
    if args.defaults:
        for name in PLACEHOLDERS:
            print(f"{name}={DEFAULTS[name]}")
        return 0
    sys.stdout.write(render(values_from_environment()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
