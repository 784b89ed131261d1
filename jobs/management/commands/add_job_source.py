from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.models import Company
from jobs.models import JobSource, Provider


class Command(BaseCommand):
    help = "Add a company's public job board, e.g. `add_job_source anthropic greenhouse anthropic`."

    def add_arguments(self, parser):
        parser.add_argument("company", help="The company's slug, as in /companies/<slug>/.")
        parser.add_argument("provider", choices=Provider.values)
        parser.add_argument("board", help="The board's name in the provider's address.")

    def handle(self, *args, company, provider, board, **options):
        try:
            owner = Company.objects.get(slug=company)
        except Company.DoesNotExist:
            raise CommandError(f"No company has the slug {company!r}.") from None
        source = JobSource(company=owner, provider=provider, board=board)
        try:
            source.full_clean()
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(problems) from None
        source.save()
        self.stdout.write(self.style.SUCCESS(f"Added {source}. Run `manage.py sync_postings --company {company}`."))
