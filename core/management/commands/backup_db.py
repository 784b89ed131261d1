"""Back up the database to one file: pg_dump's custom format on PostgreSQL, SQLite's online backup otherwise."""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def database_settings(*, alias="default", url=None):
    """The settings of the database a command works on: the given URL's, or those of a configured alias."""
    if url:
        return environ.Env.db_url_config(url)
    return connections[alias].settings_dict


def vendor_of(db):
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise CommandError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def pg_command(program, db, *args):
    """Argument list and environment for pg_dump/pg_restore against ``db``; the password goes in the environment."""
    path = shutil.which(program)
    if path is None:
        raise CommandError(
            f"{program} is not installed; install PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    argv = [path, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            argv.append(f"{option}={db[key]}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*argv, *args], env


def sqlite_connection(db, alias):
    """A raw sqlite3 connection to ``db``: Django's own for a configured alias (in-memory test databases too)."""
    if alias is not None:
        connection = connections[alias]
        connection.ensure_connection()
        return connection.connection, False
    return sqlite3.connect(db["NAME"]), True


class Command(BaseCommand):
    help = "Back up the database to a single file (pg_dump -Fc on PostgreSQL, SQLite's backup API otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write; default: backups/<database>-<UTC time><suffix>.")
        parser.add_argument("--database", default="default", help="Database alias to back up (default: default).")
        parser.add_argument("--database-url", help="Back up this database URL instead of a configured alias.")

    def handle(self, *args, output=None, database="default", database_url=None, **options):
        db = database_settings(alias=database, url=database_url)
        vendor = vendor_of(db)
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            name = Path(str(db["NAME"])).stem or "database"
            output = settings.BASE_DIR / "backups" / f"{name}-{stamp}{SUFFIX[vendor]}"
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        try:
            if vendor == "postgresql":
                argv, env = pg_command("pg_dump", db, "--format=custom", "--no-owner", "--no-privileges")
                argv += [f"--file={partial}", str(db["NAME"])]
                result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
                if result.returncode:
                    raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            else:
                source, owned = sqlite_connection(db, None if database_url else database)
                target = sqlite3.connect(partial)
                try:
                    source.backup(target)
                finally:
                    target.close()
                    if owned:
                        source.close()
            # Only a finished backup gets the final name, so a crash never leaves a truncated file behind it.
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(str(output))
