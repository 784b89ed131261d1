import calendar
import datetime

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
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


def _share(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, halves rounded up (7 of 8 is 88)."""
    return (200 * part + whole) // (2 * whole)


def _change(current: int, previous: int) -> int:
    """The change from ``previous`` to ``current`` in whole percent, halves rounded away from zero."""
    difference = current - previous
    magnitude = (200 * abs(difference) + previous) // (2 * previous)
    return magnitude if difference >= 0 else -magnitude


def month_after(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month``."""
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_before(month: datetime.date) -> datetime.date:
    """The first day of the month before ``month``."""
    return datetime.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


class ComputedSnapshotQuerySet(models.QuerySet):
    def unpublished(self):
        """Computations no market snapshot was published from: drafts a new count of their month may replace."""
        return self.filter(snapshots__isnull=True)


class ComputedSnapshot(models.Model):
    """A month's headline figures counted from job postings (``manage.py compute_snapshot``).

    It stores the counts, made by the database, that each figure rests on; the figures follow from them. It is a
    draft until an editor publishes it into an edition, and stays as the record of what that figure rests on.
    """

    month = models.DateField(help_text="First day of the month counted.")
    computed_at = models.DateTimeField(default=timezone.now, editable=False)
    min_sources = models.PositiveSmallIntegerField(
        help_text="The fewest job boards a figure may rest on (POSTINGS_MIN_SOURCES when it was counted)."
    )
    postings = models.PositiveIntegerField(help_text="AI engineering postings open at any time during the month.")
    sources = models.PositiveIntegerField(help_text="Job boards those postings come from.")
    remote_postings = models.PositiveIntegerField(help_text="Of those postings, the remote-eligible ones.")
    levelled_postings = models.PositiveIntegerField(help_text="Of those postings, the ones whose level is stated.")
    levelled_sources = models.PositiveIntegerField(help_text="Job boards the postings with a stated level come from.")
    senior_postings = models.PositiveIntegerField(help_text="Of the postings with a stated level, Senior or Staff+.")
    previous_postings = models.PositiveIntegerField(help_text="Postings open during the month before, counted alike.")
    previous_sources = models.PositiveIntegerField(help_text="Job boards those postings come from.")

    objects = ComputedSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-computed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(remote_postings__lte=F("postings")), name="computed_remote_lte_all"),
            models.CheckConstraint(
                condition=Q(senior_postings__lte=F("levelled_postings")) & Q(levelled_postings__lte=F("postings")),
                name="computed_senior_lte_levelled_lte_all",
            ),
            models.CheckConstraint(
                condition=Q(levelled_sources__lte=F("sources")) & Q(sources__lte=F("postings")),
                name="computed_sources_lte_postings",
            ),
            models.CheckConstraint(condition=Q(previous_sources__lte=F("previous_postings")), name="computed_previous"),
            models.CheckConstraint(condition=Q(min_sources__gte=1), name="computed_min_sources_positive"),
        ]

    def __str__(self):
        return f"Computed snapshot {self.month:%B %Y}"

    @property
    def previous_month(self) -> datetime.date:
        return month_before(self.month)

    @property
    def has_enough_sources(self) -> bool:
        return self.sources >= self.min_sources

    @property
    def total_postings(self) -> int | None:
        return self.postings if self.has_enough_sources else None

    @property
    def remote_eligible_pct(self) -> int | None:
        return _share(self.remote_postings, self.postings) if self.has_enough_sources else None

    @property
    def senior_plus_pct(self) -> int | None:
        if self.levelled_sources < self.min_sources or not self.levelled_postings:
            return None
        return _share(self.senior_postings, self.levelled_postings)

    @property
    def mom_change_pct(self) -> int | None:
        """None unless both months rest on enough boards; also None past the +1,000% a snapshot can hold."""
        if not self.has_enough_sources or self.previous_sources < self.min_sources or not self.previous_postings:
            return None
        change = _change(self.postings, self.previous_postings)
        return change if change <= 1000 else None

    def problems(self) -> list[str]:
        """Why a figure is missing, in words for editors: each empty figure says which boards it lacked."""
        month, previous = f"{self.month:%B %Y}", f"{self.previous_month:%B %Y}"
        needed = f"a figure needs {self.min_sources} (POSTINGS_MIN_SOURCES)"
        if not self.has_enough_sources:
            return [f"{month} has postings from {boards_text(self.sources)}; {needed}, so no figure is given."]
        problems = []
        if self.senior_plus_pct is None:
            problems.append(
                f"The senior share rests on postings with a stated level from {boards_text(self.levelled_sources)}; "
                f"{needed}."
            )
        if self.mom_change_pct is None:
            if self.previous_sources < self.min_sources:
                problems.append(
                    f"{previous} has postings from {boards_text(self.previous_sources)}; {needed}, "
                    "so the month-over-month change is not known."
                )
            else:
                problems.append("The month-over-month change is beyond what a snapshot holds (+1,000%).")
        return problems

    @property
    def is_publishable(self) -> bool:
        """Every figure but the month-over-month change is known (a snapshot may leave the change unknown)."""
        return None not in (self.total_postings, self.remote_eligible_pct, self.senior_plus_pct)

    def source_text(self) -> str:
        """The source line a snapshot published from this computation carries."""
        return (
            f"Our count of {self.postings:,} AI engineering postings on {boards_text(self.sources)}, "
            f"open during {self.month:%B %Y}"
        )


def boards_text(count: int) -> str:
    """e.g. "1 job board", "21 job boards"."""
    return f"{count:,} job board" + ("" if count == 1 else "s")


class MarketSnapshotQuerySet(SourcedQuerySet):
    def published(self):
        """Figures of published editions, with their edition and any computation behind them loaded."""
        return super().published().select_related("computed_from")

    def series(self):
        """One published snapshot per month, oldest first: where editions overlap, the later edition's (1 query)."""
        later = MarketSnapshot.objects.filter(month=OuterRef("month"), edition__is_published=True).filter(
            Q(edition__published_on__gt=OuterRef("edition__published_on"))
            | Q(edition__published_on=OuterRef("edition__published_on"), edition_id__gt=OuterRef("edition_id"))
        )
        return self.published().exclude(Exists(later)).order_by("month")


class MarketSnapshot(Sourced, Versioned):
    """Headline figures of the market for one month, typed in by editors or published from a computation."""

    month = models.DateField(help_text="First day of the month the figures describe.")
    total_postings = models.PositiveIntegerField(help_text="Active AI engineering postings that month.")
    mom_change_pct = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Month-over-month change in postings, in percent (negative for a fall); empty when not known.",
    )
    remote_eligible_pct = models.PositiveSmallIntegerField(help_text="Share of remote-eligible roles, 0 to 100.")
    senior_plus_pct = models.PositiveSmallIntegerField(help_text="Share of senior and above roles, 0 to 100.")
    computed_from = models.ForeignKey(
        ComputedSnapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="snapshots",
        help_text="The count of postings the figures were published from; empty for figures typed in.",
    )
    history = HistoricalRecords()

    objects = MarketSnapshotQuerySet.as_manager()

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
