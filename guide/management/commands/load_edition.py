from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from companies.changes import company_history_baseline
from market.models import Edition

EDITION_FIXTURES = ["edition_2026_q1.json"]


class Command(BaseCommand):
    help = "Load the published edition's fixtures into an empty database; does nothing when an edition exists."

    def handle(self, *args, **options):
        if Edition.objects.exists():
            self.stdout.write("An edition is already loaded; nothing to do.")
            return
        # Loading records no change history (roles would log a change per company); one baseline per profile
        # afterwards, dated like the edition, is where the change log starts.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            for name in EDITION_FIXTURES:
                call_command("loaddata", settings.BASE_DIR / "fixtures" / name, verbosity=0)
        company_history_baseline()
        self.stdout.write(self.style.SUCCESS(f"Loaded the edition: {', '.join(EDITION_FIXTURES)}."))
