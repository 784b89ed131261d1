import datetime

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from jobs.market_figures import snapshot_compute
from market.models import boards_text


def parse_month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month takes a year and month as YYYY-MM, e.g. 2026-01, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Count a month's postings into a draft market snapshot (active postings, month-over-month change, "
        "remote-eligible and senior+ shares) for editors to review and publish in the admin. A month whose postings "
        "come from fewer job boards than POSTINGS_MIN_SOURCES gets no figure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month to count, as YYYY-MM, e.g. 2026-01.")

    def handle(self, *args, month, **options):
        month = parse_month(month)
        today = timezone.localdate()
        if month > today:
            raise CommandError(f"{month:%B %Y} has not begun: there is nothing to count yet.")
        computed = snapshot_compute(month=month)
        name = f"{month:%B %Y}"
        self.stdout.write(f"{name}, counted from postings (a draft: nothing is published):")
        for label, value, basis in _lines(computed):
            self.stdout.write(f"  {label:<32} {value:>7}  {basis}")
        for problem in computed.problems():
            self.stderr.write(self.style.WARNING(problem))
        if month.year == today.year and month.month == today.month:
            self.stderr.write(self.style.WARNING(f"{name} is not over: its figures count the postings seen so far."))
        where = reverse("admin:market_computedsnapshot_change", args=[computed.pk])
        if computed.is_publishable:
            self.stdout.write(self.style.SUCCESS(f"Review it beside the published figures and publish it at {where}"))
        else:
            self.stdout.write(f"Saved as a draft that cannot be published: {where}")


def _lines(computed):
    """(label, figure, what it rests on) for each headline figure."""
    previous = f"{computed.previous_month:%B %Y}"

    def shown(value, suffix=""):
        return "none" if value is None else f"{value:,}{suffix}"

    return [
        ("Active AI engineering postings", shown(computed.total_postings), f"from {boards_text(computed.sources)}"),
        (
            "Month-over-month change",
            "none" if computed.mom_change_pct is None else f"{computed.mom_change_pct:+d}%",
            f"against {previous}: {computed.previous_postings:,} postings "
            f"from {boards_text(computed.previous_sources)}",
        ),
        (
            "Remote-eligible roles",
            shown(computed.remote_eligible_pct, "%"),
            f"{computed.remote_postings:,} of {computed.postings:,} postings",
        ),
        (
            "Senior+ roles",
            shown(computed.senior_plus_pct, "%"),
            f"{computed.senior_postings:,} of {computed.levelled_postings:,} postings with a stated level, "
            f"from {boards_text(computed.levelled_sources)}",
        ),
    ]
