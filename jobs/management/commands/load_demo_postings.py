from django.core.management.base import BaseCommand

from companies.models import Company
from jobs.demo import demo_boards, demo_sources
from jobs.models import JobSource, Posting
from jobs.sync import sync_sources


class Command(BaseCommand):
    help = (
        "Add the demo job boards to the edition's companies and sync them through the real sync, from a stand-in "
        "for the providers' APIs on 127.0.0.1; does nothing once any posting exists."
    )

    def handle(self, *args, **options):
        if Posting.objects.exists():
            self.stdout.write("Postings are already loaded; nothing to do.")
            return
        companies = dict(Company.objects.values_list("slug", "pk"))
        for entry in demo_sources():
            if entry["company"] in companies:
                JobSource.objects.get_or_create(
                    provider=entry["provider"],
                    board=entry["board"],
                    defaults={"company_id": companies[entry["company"]]},
                )
        sources = JobSource.objects.enabled().select_related("company").order_by("pk")
        with demo_boards():
            counts, failed = sync_sources(sources)
        for run in failed:
            self.stderr.write(f"{run.source}: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo job boards: {counts['new']} postings from {counts['sources']} boards.")
        )
