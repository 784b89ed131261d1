from django.core.management.base import BaseCommand

from bookmarks.alerts import alert_digests_send


class Command(BaseCommand):
    help = (
        "Email each user with alerts on a digest of published changes to their bookmarked companies and of new "
        "editions, at most once a day. Meant for cron (e.g. hourly); running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = alert_digests_send()
        self.stdout.write(f"Sent {sent} alert digest{'' if sent == 1 else 's'}.")
