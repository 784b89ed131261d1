from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from market.models import Edition

EDITION_FIXTURES = ["edition_2026_q1.json"]


class Command(BaseCommand):
    help = "Load the published edition's fixtures into an empty database; does nothing when an edition exists."

    def handle(self, *args, **options):
        if Edition.objects.exists():
            self.stdout.write("An edition is already loaded; nothing to do.")
            return
        for name in EDITION_FIXTURES:
            call_command("loaddata", settings.BASE_DIR / "fixtures" / name, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded the edition: {', '.join(EDITION_FIXTURES)}."))
