"""Restore a backup made by backup_db, replacing the database's contents."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup_db import database_settings, pg_command, sqlite_connection, vendor_of

MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}


class Command(BaseCommand):
    help = "Restore a backup made by backup_db into the database (or an empty one), replacing what is there."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file: a pg_dump custom-format file or an SQLite database.")
        parser.add_argument("--database", default="default", help="Database alias to restore into (default: default).")
        parser.add_argument("--database-url", help="Restore into this database URL instead of a configured alias.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask.")

    def handle(self, *args, backup, database="default", database_url=None, interactive=True, **options):
        db = database_settings(alias=database, url=database_url)
        vendor = vendor_of(db)
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        with path.open("rb") as file:
            if not file.read(len(MAGIC[vendor])) == MAGIC[vendor]:
                raise CommandError(f"{path} is not a {vendor} backup made by backup_db.")
        if interactive:
            answer = input(f"This replaces everything in the database {db['NAME']} with {path}. Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        if database_url is None:
            # Our own open connection would hold locks the restore needs.
            connections[database].close()
        if vendor == "postgresql":
            argv, env = pg_command(
                "pg_restore",
                db,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(path),
            )
            result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            source = sqlite3.connect(path)
            target, owned = sqlite_connection(db, None if database_url else database)
            try:
                source.backup(target)
            finally:
                source.close()
                if owned:
                    target.close()
        if database_url is None:
            # Pages, sessions and counts kept from the replaced data would outlive it.
            for cache in caches.all():
                cache.clear()
        self.stdout.write(f"Restored {path} into {db['NAME']}.")
        if database_url is None:
            self.stdout.write(
                "Django's caches are empty. A proxy cache in front (nginx's NGINX_CACHE_DIR, a CDN) keeps its pages "
                "for up to DJANGO_PAGE_CACHE_SECONDS: empty it to show the restored data at once."
            )
