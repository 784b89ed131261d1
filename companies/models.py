from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.money import usd_range
from market.models import Sourced


class Category(models.Model):
    """One of the guide's profile groups, e.g. AI-native companies."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('companies:company_list')}?category={self.slug}"


class Role(models.Model):
    """A role title shared across companies."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('companies:company_list')}?role={self.slug}"


class CompBasis(models.TextChoices):
    UNSTATED = "", "Not stated"
    BASE = "base", "Base salary"
    TOTAL = "total", "Total comp"


class Outlook(models.TextChoices):
    NONE = "", "Not on a watch list"
    GROWING = "growing", "Growing team"
    STABLE = "stable", "Stable employer"


class CompanyQuerySet(models.QuerySet):
    def published(self):
        """Profiles readers may see."""
        return self.filter(is_published=True)

    def for_listing(self):
        """Published profiles with category, edition and roles loaded for list pages."""
        return self.published().select_related("category", "edition").prefetch_related("roles")

    def matching(self, text):
        """Companies whose name, focus, wants, watch-list note, pay note or roles contain every word of ``text``.

        The one text match of companies: the list's ``q`` filter, the API and site search all use it. The few roles
        a word names are looked up first (one small query per word), and each company's roles are then checked by
        one indexed lookup inside a scalar subquery: PostgreSQL would turn an ``EXISTS`` inside the ``OR`` into a hash
        of every company holding such a role, built before the first row. A word that names no role leaves only the
        text columns, which PostgreSQL serves from its trigram indexes.
        """
        queryset = self
        through = self.model.roles.through
        for index, term in enumerate(text.split()):
            condition = (
                Q(name__icontains=term)
                | Q(focus__icontains=term)
                | Q(wants__icontains=term)
                | Q(outlook_note__icontains=term)
                | Q(comp_note__icontains=term)
            )
            role_ids = list(Role.objects.filter(name__icontains=term).values_list("pk", flat=True))
            if role_ids:
                held = through.objects.filter(company_id=OuterRef("pk"), role_id__in=role_ids).values("pk")[:1]
                queryset = queryset.alias(**{f"role_match_{index}": models.Subquery(held)})
                condition |= Q(**{f"role_match_{index}__isnull": False})
            queryset = queryset.filter(condition)
        return queryset

    def pay_extremes(self):
        """The lowest minimum, the highest maximum and whether any range is open-ended (1 query of 3 indexed
        ``LIMIT 1`` subqueries, so it costs the same at 100,000 companies)."""
        ranged = self.filter(comp_min__isnull=False).order_by()
        rows = ranged.values(
            low=models.Subquery(ranged.order_by("comp_min").values("comp_min")[:1]),
            high=models.Subquery(ranged.order_by(F("comp_max").desc(nulls_last=True)).values("comp_max")[:1]),
            open_ended=Exists(ranged.filter(comp_open_ended=True)),
        )[:1]
        return next(iter(rows), {"low": None, "high": None, "open_ended": False})

    def with_bookmark_state(self, user):
        """Annotate ``is_bookmarked`` for ``user`` in the same query (False for anonymous users).

        It reads the ``bookmarks`` relation that the bookmarks app adds to companies, by name, so this layer
        needs no import of that one.
        """
        if not user.is_authenticated:
            return self.annotate(is_bookmarked=models.Value(False))
        saved = self.model._meta.get_field("bookmarks").related_model.objects.filter(user=user, company=OuterRef("pk"))
        return self.annotate(is_bookmarked=Exists(saved))


def pay_text(comp_min, comp_max, *, open_ended=False, basis=""):
    """A published range with its basis, as the guide writes it: "$200K-400K+ total comp" ("" without figures)."""
    if comp_min is None or comp_max is None:
        return ""
    text = usd_range(comp_min, comp_max, open_ended=open_ended)
    if basis == CompBasis.TOTAL:
        return f"{text} total comp"
    if basis == CompBasis.BASE:
        return f"{text} base"
    return text


class Company(Sourced, Versioned):
    """A company profile: who they hire, what they pay and want."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        help_text="Leave empty for companies that only appear on a watch list.",
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="companies")
    focus = models.CharField(max_length=300, blank=True, help_text="What the AI teams work on.")
    wants = models.CharField("what they want", max_length=300, blank=True)
    comp_min = models.PositiveIntegerField(
        "minimum pay", null=True, blank=True, help_text="Lower end of the published range, whole US dollars."
    )
    comp_max = models.PositiveIntegerField(
        "maximum pay", null=True, blank=True, help_text="Upper end of the published range, whole US dollars."
    )
    comp_basis = models.CharField(
        "pay basis",
        max_length=5,
        choices=CompBasis.choices,
        blank=True,
        help_text="Whether the range is base salary or total comp, when the source says.",
    )
    comp_open_ended = models.BooleanField(
        "open-ended", default=False, help_text='Tick when the range ends with "+", e.g. $200K-400K+.'
    )
    comp_note = models.CharField(
        "pay note",
        max_length=120,
        blank=True,
        help_text='Words that go with or replace the range, e.g. "Top of market" or "Highly competitive + equity".',
    )
    outlook = models.CharField(
        max_length=7, choices=Outlook.choices, blank=True, help_text="Watch list the company appears on."
    )
    outlook_note = models.CharField(max_length=200, blank=True, help_text="One line shown on the watch list.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within its category or watch list.")
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[roles])

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(comp_min__isnull=True) | Q(comp_min__gt=0), name="company_comp_min_positive"
            ),
            models.CheckConstraint(
                condition=Q(comp_min__isnull=True) | Q(comp_max__isnull=True) | Q(comp_min__lte=F("comp_max")),
                name="company_comp_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(comp_min__isnull=True, comp_max__isnull=True)
                | Q(comp_min__isnull=False, comp_max__isnull=False),
                name="company_comp_both_or_neither",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "name"], name="company_pub_name"),
            models.Index(fields=["is_published", "category", "position"], name="company_pub_category"),
            models.Index(fields=["is_published", "outlook", "position", "name"], name="company_pub_outlook_order"),
            models.Index(fields=["is_published", "-comp_max"], name="company_pub_comp_max"),
            models.Index(fields=["is_published", "comp_min"], name="company_pub_comp_min"),
            models.Index(fields=["is_published", "-updated_at"], name="company_pub_updated"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("companies:company_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if (self.comp_min is None) != (self.comp_max is None):
            errors["comp_max"] = "Give both minimum and maximum pay, or neither."
        elif self.comp_min is not None and self.comp_min > self.comp_max:
            errors["comp_max"] = "Minimum pay must not exceed maximum pay."
        if self.comp_open_ended and self.comp_min is None:
            errors["comp_open_ended"] = "Only a range with figures can be open-ended."
        if errors:
            raise ValidationError(errors)

    @property
    def has_range(self):
        return self.comp_min is not None

    @property
    def comp_range(self):
        """The range as the guide writes it: "$200K-400K+"."""
        return usd_range(self.comp_min, self.comp_max, open_ended=self.comp_open_ended) if self.has_range else ""

    @property
    def comp_text(self):
        """Pay worded as the source words it, e.g. "Top of market ($200K-400K+)"."""
        text = pay_text(self.comp_min, self.comp_max, open_ended=self.comp_open_ended, basis=self.comp_basis)
        if self.comp_note and text:
            return f"{self.comp_note} ({text})"
        return self.comp_note or text
