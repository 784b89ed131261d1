from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs import classification
from jobs.classification import LABELLED_SET


class Command(BaseCommand):
    help = (
        "Measure the level, workplace and role rules against the labelled postings and print each field's accuracy. "
        "Exits non-zero when level or workplace falls under its floor (95% and 98%)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help=f"The labelled CSV (default: {LABELLED_SET} in the project).")
        parser.add_argument("--show-misses", action="store_true", help="List each posting a rule gets wrong.")

    def handle(self, *args, file=None, show_misses=False, **options):
        path = file or settings.BASE_DIR / LABELLED_SET
        try:
            postings = classification.read_labelled(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        except (KeyError, TypeError) as error:
            raise CommandError(
                f"{path} is not a labelled set: it needs the columns title, location, workplace_field, level, "
                "workplace and role."
            ) from error
        if not postings:
            raise CommandError(f"{path} has no postings.")
        scores = classification.score(postings)
        for field, result in scores.items():
            self.stdout.write(f"{field:<10} {result.accuracy:>5.1%}  ({result.correct} of {result.total})")
        if show_misses:
            for field, result in scores.items():
                for miss in result.misses:
                    self.stdout.write(f"{field}: {miss.title!r} expected {miss.expected!r}, got {miss.got!r}")
        below = classification.fields_below_floor(scores)
        if below:
            raise CommandError("Below the floor: " + "; ".join(below) + ".")
