import calendar
import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from simple_history.models import HistoricalRecords

from core.models import Versioned

# The edition's own words around the figures; carried over to the next edition for editors to update.
EDITION_TEXT_FIELDS = [
    "summary",
    "market_note",
    "salary_intro",
    "equity_note",
    "growing_intro",
    "stable_intro",
    "caution_note",
]


class EditionQuerySet(models.QuerySet):
    def published(self):
        """Editions readers may see, newest first."""
        return self.filter(is_published=True).order_by("-published_on")

    def current(self):
        """The edition the guide shows by default, or None before the first one is published (1 query)."""
        return self.filter(is_current=True, is_published=True).first()


class Edition(models.Model):
    """A quarterly issue of the guide; figures belong to one."""

    slug = models.SlugField(unique=True, help_text="Used in addresses, e.g. 2026-q1.")
    name = models.CharField(max_length=60, help_text="As readers see it, e.g. Q1 2026.")
    published_on = models.DateField(help_text="The day this edition went public.")
    is_published = models.BooleanField(default=False, help_text="Only published editions appear on the site.")
    is_current = models.BooleanField(
        default=False, help_text="The edition the guide shows by default. Exactly one edition is current."
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When “Publish edition” last made this edition current."
    )
    previous_published_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The day the edition before this one came out, set when this one is started and published. "
        "Its figures last verified on or before that day are marked “needs review”.",
    )
    summary = models.TextField(blank=True, help_text="The opening paragraph of the guide.")
    market_note = models.TextField(blank=True, help_text="A sentence under the headline figures.")
    salary_intro = models.CharField(max_length=200, blank=True, help_text="The line above the salary table.")
    equity_note = models.TextField(blank=True, help_text="The note under the salary table.")
    growing_intro = models.CharField(max_length=200, blank=True, help_text="The line above the growing teams.")
    stable_intro = models.CharField(max_length=200, blank=True, help_text="The line above the stable employers.")
    caution_note = models.TextField(blank=True, help_text="The caution about volatile employers.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_edition"),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(is_published=True), name="current_edition_is_published"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('market:salaries')}?edition={self.slug}"

    def previous(self):
        """The published edition before this one, or None."""
        return Edition.objects.published().filter(published_on__lt=self.published_on).first()

    @property
    def next_expected_on(self):
        """The day the next edition is due: a quarter (three months) after this one, on the same day of the month."""
        month = self.published_on.month + 3
        year = self.published_on.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        day = min(self.published_on.day, calendar.monthrange(year, month)[1])
        return datetime.date(year, month, day)

    @property
    def is_overdue(self):
        """The current edition's successor is past its expected day."""
        return self.is_current and timezone.localdate() > self.next_expected_on

    @property
    def age(self):
        """How long ago the edition came out, in its largest unit ("10 months"; "today" on the day itself)."""
        if self.published_on >= timezone.localdate():
            return ""
        return timesince(self.published_on, timezone.localdate(), depth=1)


def needs_review_condition(edition="edition"):
    """The ``needs_review`` rule as a filter on figures whose edition is reached through ``edition``."""
    cutoff = f"{edition}__previous_published_on"
    return Q(**{f"{cutoff}__isnull": False, "last_verified__lte": F(cutoff)})


class SourcedQuerySet(models.QuerySet):
    def published(self):
        """Figures of published editions, with their edition loaded."""
        return self.filter(edition__is_published=True).select_related("edition")


class Sourced(models.Model):
    """Provenance every figure carries: its edition, as-of date, source and last check."""

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="+", help_text="The edition this figure belongs to."
    )
    as_of = models.DateField(help_text="The date the figure describes.")
    source = models.CharField(max_length=300, help_text="Where the figure comes from, in words readers understand.")
    source_url = models.URLField(blank=True, help_text="Optional link to the source.")
    last_verified = models.DateField(help_text="The day an editor last checked this figure against its source.")

    class Meta:
        abstract = True

    @property
    def needs_review(self):
        """True when the figure is older than its edition: last verified on or before the day the edition before
        came out, so nobody has checked it for this one (``needs_review_condition`` in a query)."""
        cutoff = self.edition.previous_published_on
        return cutoff is not None and self.last_verified <= cutoff


class MarketSnapshot(Sourced, Versioned):
    """Headline figures of the market for one month."""

    month = models.DateField(help_text="First day of the month the figures describe.")
    total_postings = models.PositiveIntegerField(help_text="Active AI engineering postings that month.")
    mom_change_pct = models.SmallIntegerField(
        help_text="Month-over-month change in postings, in percent (negative for a fall)."
    )
    remote_eligible_pct = models.PositiveSmallIntegerField(help_text="Share of remote-eligible roles, 0 to 100.")
    senior_plus_pct = models.PositiveSmallIntegerField(help_text="Share of senior and above roles, 0 to 100.")
    history = HistoricalRecords()

    objects = SourcedQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "month"], name="one_snapshot_per_edition_month"),
            models.CheckConstraint(condition=Q(remote_eligible_pct__range=(0, 100)), name="remote_pct_in_range"),
            models.CheckConstraint(condition=Q(senior_plus_pct__range=(0, 100)), name="senior_pct_in_range"),
            models.CheckConstraint(condition=Q(mom_change_pct__range=(-100, 1000)), name="mom_change_in_range"),
        ]
        indexes = [models.Index(fields=["edition", "-month"])]

    def __str__(self):
        return f"Market snapshot {self.month:%B %Y}"

    def get_absolute_url(self):
        return reverse("market:market")


class SalaryLevel(models.TextChoices):
    JUNIOR = "junior", "Junior (0-2 yrs)"
    MID = "mid", "Mid (2-5 yrs)"
    SENIOR = "senior", "Senior (5-8 yrs)"
    STAFF = "staff", "Staff (8+ yrs)"


LEVEL_ORDER = {level: index for index, level in enumerate(SalaryLevel.values)}


def _level_order():
    return models.Case(*[models.When(level=lv, then=i) for lv, i in LEVEL_ORDER.items()])


class SalaryBenchmarkQuerySet(SourcedQuerySet):
    def for_edition(self, edition):
        """One edition's benchmarks, junior first."""
        return self.filter(edition=edition).select_related("edition").order_by(_level_order())

    def for_listing(self):
        """Benchmarks of published editions, newest edition first, junior first within each."""
        return self.published().order_by("-edition__published_on", "edition_id", _level_order())


class SalaryBenchmark(Sourced, Versioned):
    """Market pay for one level in one edition, base and total comp in USD."""

    level = models.CharField(max_length=10, choices=SalaryLevel.choices)
    base_min = models.PositiveIntegerField(help_text="Lowest typical base salary, in whole US dollars.")
    base_max = models.PositiveIntegerField(help_text="Highest typical base salary, in whole US dollars.")
    total_min = models.PositiveIntegerField(help_text="Lowest typical total compensation, in whole US dollars.")
    total_max = models.PositiveIntegerField(help_text="Highest typical total compensation, in whole US dollars.")
    history = HistoricalRecords()

    objects = SalaryBenchmarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "level"], name="one_benchmark_per_edition_level"),
            models.CheckConstraint(condition=Q(base_min__gt=0) & Q(total_min__gt=0), name="benchmark_pay_positive"),
            models.CheckConstraint(condition=Q(base_min__lte=F("base_max")), name="benchmark_base_min_lte_max"),
            models.CheckConstraint(condition=Q(total_min__lte=F("total_max")), name="benchmark_total_min_lte_max"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.edition}"

    def get_absolute_url(self):
        return f"{reverse('market:salaries')}?edition={self.edition.slug}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.base_min and self.base_max and self.base_min > self.base_max:
            errors["base_max"] = "Minimum base pay must not exceed maximum base pay."
        if self.total_min and self.total_max and self.total_min > self.total_max:
            errors["total_max"] = "Minimum total comp must not exceed maximum total comp."
        if errors:
            raise ValidationError(errors)


class Trend(Sourced):
    """A movement of the market, told as ordered points."""

    slug = models.SlugField()
    title = models.CharField(max_length=120)
    intro = models.CharField(max_length=300, blank=True, help_text="The sentence before the points.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    history = HistoricalRecords()

    objects = SourcedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="unique_trend_slug_per_edition")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('market:market')}#{self.slug}"


class TrendPoint(models.Model):
    trend = models.ForeignKey(Trend, on_delete=models.CASCADE, related_name="points")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class Specialization(Sourced):
    """A skill in demand, shown under its trend."""

    trend = models.ForeignKey(Trend, on_delete=models.SET_NULL, null=True, blank=True, related_name="specializations")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = SourcedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('market:market')}#specializations"
