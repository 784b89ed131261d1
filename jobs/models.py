"""Job-board sources, the runs that sync them, and the postings they bring.

A source is a company's public board on Greenhouse, Lever or Ashby. Each sync of it is a ``SyncRun``. A posting is
unique per source and the board's own id; it is closed when it leaves its board and reopened if it comes back, never
deleted, so every figure computed from postings can be traced back to them.
"""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from companies.models import Company, Role
from core.money import money_range
from core.words import words_of


class Provider(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse"
    LEVER = "lever", "Lever"
    ASHBY = "ashby", "Ashby"


# Each provider's public page for a board: what a reader's browser opens (the syncs read the providers' APIs).
BOARD_PAGES = {
    Provider.GREENHOUSE: "https://job-boards.greenhouse.io/{board}",
    Provider.LEVER: "https://jobs.lever.co/{board}",
    Provider.ASHBY: "https://jobs.ashbyhq.com/{board}",
}


class Level(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff+"
    UNKNOWN = "unknown", "Level not stated"


class Workplace(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "On-site"
    UNKNOWN = "unknown", "Not stated"


class PayPeriod(models.TextChoices):
    YEAR = "year", "a year"
    MONTH = "month", "a month"
    HOUR = "hour", "an hour"


# A board name is one path segment of the provider's address: letters, digits, dots, dashes and underscores.
board_name = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
    "Use the board's name as it appears in its address: letters, digits, dots, dashes and underscores.",
)


class JobSourceQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(is_enabled=True)


class JobSource(models.Model):
    """A company's public job board."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="job_sources")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    board = models.CharField(
        max_length=100,
        validators=[board_name],
        help_text="The board's name in the provider's address, e.g. “anthropic” for boards.greenhouse.io/anthropic.",
    )
    is_enabled = models.BooleanField("enabled", default=True, help_text="Only enabled boards are synced.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="When a sync last began.")
    last_success_at = models.DateTimeField(
        "last synced", null=True, blank=True, editable=False, help_text="When a sync last succeeded."
    )
    # What the board said last time, for conditional requests and for telling an unchanged board at once.
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    payload_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = JobSourceQuerySet.as_manager()

    class Meta:
        ordering = ["company__name", "provider", "board"]
        constraints = [models.UniqueConstraint(fields=["provider", "board"], name="jobsource_provider_board")]
        indexes = [models.Index(fields=["is_enabled", "last_run_at"], name="jobsource_due")]

    def __str__(self):
        return f"{self.company} on {self.get_provider_display()} ({self.board})"

    @property
    def page_url(self):
        """The board's public page, where a reader sees its roles (linked, never fetched by the guide)."""
        return BOARD_PAGES[self.provider].format(board=self.board)


class SyncRun(models.Model):
    """One sync of a source: when, how it ended, what it changed, and the error in words."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SYNCED = "synced", "Synced"
        UNCHANGED = "unchanged", "Unchanged"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(JobSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    new_count = models.PositiveIntegerField("new", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    closed_count = models.PositiveIntegerField("closed", default=0)
    seen_count = models.PositiveIntegerField("on the board", default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"], name="syncrun_source_started")]

    def __str__(self):
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}: {self.get_outcome_display()}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


OPEN = Q(closed_at__isnull=True)

# The text filters' columns (core.words) stay small enough for an index entry to carry them: see Posting.Meta.
SEARCH_TEXT_BYTES = 1000
LOCATION_WORDS_BYTES = 600


def search_columns(title, department, locations):
    """The words ``q`` and ``location`` match, for a posting's title, department and locations (core.words)."""
    return {
        "search_text": words_of(title, department, *locations, max_bytes=SEARCH_TEXT_BYTES),
        "location_words": words_of(*locations, max_bytes=LOCATION_WORDS_BYTES),
    }


class PostingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def posted_pay(self):
        """What the open ones among these (one company's) pay by level and currency (jobs/pay.py): two queries."""
        from .pay import posted_pay

        return posted_pay(self.open())

    def posted_pay_by_company(self):
        """{company id: what its open ones among these pay by level and currency}: two queries for them all."""
        from .pay import posted_pay_by_company

        return posted_pay_by_company(self.open())

    def listed(self):
        """Postings of published companies, newest first, with what a list shows loaded."""
        return (
            self.filter(company__is_published=True)
            .select_related("company", "role", "source")
            .defer("description")
            .order_by("-posted_at", "-id")
        )

    def open_during(self, start, end):
        """Postings open at any time from ``start`` up to ``end``: on the board (by its own date or our first
        sighting) before ``end`` and not closed before ``start``; one still open must have been seen since ``start``
        (its board synced since then: Posting.last_sighting).
        """
        return self.filter(Q(posted_at__lt=end) | Q(first_seen__lt=end)).filter(
            Q(closed_at__gte=start)
            | Q(closed_at__isnull=True, last_seen__gte=start)
            | Q(closed_at__isnull=True, source__last_success_at__gte=start)
        )

    def in_market(self):
        """The postings the market's figures count: one of the guide's roles, at a published company."""
        return self.filter(role__isnull=False, company__is_published=True)


class Posting(models.Model):
    """A role from a company's own board, open or closed."""

    # Neither key has an index of its own: the unique (source, external_id) and posting_open_by_source serve the
    # source's lookups, posting_company_newest the company's.
    source = models.ForeignKey(JobSource, on_delete=models.PROTECT, related_name="postings", db_index=False)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="postings", db_index=False)
    external_id = models.CharField(max_length=100, help_text="The board's own id of the posting.")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, help_text="The employer's page for the role.")
    apply_url = models.URLField(max_length=1000, blank=True)
    locations = models.JSONField(default=list, blank=True, help_text="As the board names them, the main one first.")
    location_text = models.CharField(max_length=1000, blank=True, editable=False)
    workplace = models.CharField(max_length=7, choices=Workplace.choices, default=Workplace.UNKNOWN)
    employment_type = models.CharField(max_length=60, blank=True)
    department = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=7, choices=Level.choices, default=Level.UNKNOWN)
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="postings", help_text="The guide's role."
    )
    pay_min = models.PositiveIntegerField(null=True, blank=True, help_text="Whole units of the pay's currency.")
    pay_max = models.PositiveIntegerField(null=True, blank=True)
    pay_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. USD or EUR.")
    pay_period = models.CharField(max_length=5, choices=PayPeriod.choices, blank=True)
    pay_from_text = models.BooleanField(
        default=False, help_text="The pay was read from the description, not from the board's own pay fields."
    )
    description = models.TextField(blank=True, help_text="Sanitised HTML.")
    posted_at = models.DateTimeField(help_text="When the board says it was published, or when first seen.")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(
        help_text="When a sync last wrote it. An unchanged board's postings are not rewritten: see last_sighting."
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it left its board; empty while open.")
    digest = models.CharField(max_length=32, editable=False, help_text="Of the fields a sync writes.")
    search_text = models.TextField(
        blank=True, editable=False, help_text="The words of the title, department and locations: the q filter's."
    )
    location_words = models.TextField(blank=True, editable=False, help_text="The words of the locations.")

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="posting_source_external_id"),
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_min__lte=F("pay_max")),
                name="posting_pay_min_lte_max",
            ),
        ]
        # The list is newest first and shows open postings unless asked otherwise: each filter has an index that
        # serves it in that order among the open ones. The text filters (q, location) match words stored in
        # search_text and location_words (core.words), which posting_open_newest carries, so a count that must read
        # tens of thousands of entries to find a rarer word's thousand reads them from that index alone; a rare word
        # is found through the trigram indexes on those two columns (PostgreSQL, migration 0008). The role index
        # carries the other filters' columns, so several filters together are checked in it too.
        # A sync counts and closes a board's open postings through posting_open_by_source: with only the source's
        # key to go on, a planner without statistics (after a bulk load) combined it with posting_open_newest and read
        # all of that index's 1,000,000 entries for each board.
        # Each list index carries company_id (INCLUDE, PostgreSQL only), so the list's capped count, which keeps
        # only published companies' postings, is an index-only scan instead of a thousand visits to the table.
        indexes = [
            models.Index("source", name="posting_open_by_source", condition=OPEN),
            models.Index(F("posted_at").desc(), F("id").desc(), name="posting_newest", include=["company"]),
            models.Index(
                F("posted_at").desc(),
                F("id").desc(),
                name="posting_open_newest",
                condition=OPEN,
                include=["company", "search_text", "location_words"],
            ),
            models.Index("company", F("posted_at").desc(), name="posting_company_newest"),
            models.Index(
                "level", F("posted_at").desc(), name="posting_open_level", condition=OPEN, include=["company"]
            ),
            models.Index(
                "role",
                F("posted_at").desc(),
                name="posting_open_role",
                condition=OPEN,
                include=["company", "level", "workplace", "pay_min"],
            ),
            models.Index(
                "workplace", F("posted_at").desc(), name="posting_open_workplace", condition=OPEN, include=["company"]
            ),
            models.Index(
                F("posted_at").desc(),
                name="posting_open_paid",
                condition=OPEN & Q(pay_min__isnull=False),
                include=["company"],
            ),
            models.Index(F("closed_at").desc(), name="posting_closed", condition=Q(closed_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.title} at {self.company}"

    def save(self, *args, **kwargs):
        # A sync writes these in bulk itself (jobs.sync.prepared_rows); this keeps an edit's in step.
        for name, value in search_columns(self.title, self.department, self.locations).items():
            setattr(self, name, value)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "location_words"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("jobs:posting_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def last_sighting(self):
        """When a sync last found it on its board. An open posting was there at its board's last successful sync
        (a sync leaves an unchanged board's postings as they are); a closed one keeps its own last sighting."""
        if self.closed_at is None and self.source.last_success_at:
            return max(self.last_seen, self.source.last_success_at)
        return self.last_seen

    @property
    def has_pay(self):
        return self.pay_min is not None

    def pay_text(self):
        """The posted pay in its own currency and period, e.g. "$180K-240K a year" or "€90K-120K a year"."""
        if self.pay_min is None:
            return ""
        return f"{money_range(self.pay_min, self.pay_max, self.pay_currency)} {self.get_pay_period_display()}"

    @property
    def is_new(self):
        return self.first_seen >= timezone.now() - datetime.timedelta(days=7)
