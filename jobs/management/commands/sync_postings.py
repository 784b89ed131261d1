import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jobs.models import JobSource, Provider
from jobs.sync import sync_sources
from jobs.tasks import clear_pages_after_sync, schedule_syncs


class Command(BaseCommand):
    help = (
        "Fetch every enabled job board (or one company's, or one provider's) and update its postings. Exits "
        "non-zero, naming each board that failed and why, if any did. With --schedule, hands the work to the task "
        "worker instead, every POSTINGS_SYNC_EVERY_MINUTES."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", help="Only this company's boards (its slug).")
        parser.add_argument("--provider", choices=Provider.values, help="Only boards of this provider.")
        parser.add_argument("--workers", type=int, help="Boards synced side by side (POSTINGS_WORKERS).")
        parser.add_argument(
            "--schedule", action="store_true", help="Enqueue the scheduled sync for `manage.py db_worker` to run."
        )

    def handle(self, *args, company=None, provider=None, workers=None, schedule=False, **options):
        if schedule:
            result = schedule_syncs.enqueue()
            self.stdout.write(f"Scheduled: the worker syncs every board that is due, then again ({result.id}).")
            return
        sources = JobSource.objects.enabled().select_related("company").order_by("pk")
        if company:
            sources = sources.filter(company__slug=company)
        if provider:
            sources = sources.filter(provider=provider)
        total = sources.count()
        if not total:
            raise CommandError("No enabled job board matches; add one with `manage.py add_job_source`.")
        with tqdm(total=total, unit="board", file=sys.stderr, disable=None) as bar:
            counts, failed = sync_sources(sources, workers=workers, on_done=lambda run: bar.update())
        clear_pages_after_sync(counts)
        self.stdout.write(
            f"Synced {counts['sources'] - len(failed)} of {counts['sources']} boards: {counts['new']} new, "
            f"{counts['updated']} updated, {counts['closed']} closed."
        )
        if failed:
            lines = [
                f"  {run.source.company.slug} {run.source.provider}/{run.source.board}: {run.error}" for run in failed
            ]
            raise CommandError(f"{len(failed)} board(s) failed:\n" + "\n".join(lines))
