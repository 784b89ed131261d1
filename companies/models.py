from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When, prefetch_related_objects
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.money import usd_range
from core.words import begin_words_of, begins_a_word, query_words, run_together, words_of
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


NAME_WORDS_BYTES, TOPIC_WORDS_BYTES, NOTE_WORDS_BYTES = 400, 1000, 600
TEXT_COLUMNS = ("name_words", "topic_words", "note_words")


def search_columns(name, focus, wants, outlook_note, comp_note):
    """The words the company text match (``CompanyQuerySet.matching``) looks in (core.words): the name's, with the
    name run together as one more word (so "open ai" finds OpenAI, "huggingface" Hugging Face); what the company
    works on and wants; its watch-list and pay notes."""
    name_words = words_of(name, max_bytes=NAME_WORDS_BYTES)
    joined = run_together(name)
    if name_words and f" {joined} " not in name_words:
        name_words += f"{joined} "
    return {
        "name_words": name_words,
        "topic_words": words_of(focus, wants, max_bytes=TOPIC_WORDS_BYTES),
        "note_words": words_of(outlook_note, comp_note, max_bytes=NOTE_WORDS_BYTES),
    }


def _every_word_begins(looked_for, columns):
    condition = Q()
    for word in looked_for:
        any_column = Q()
        for column in columns:
            any_column |= begins_a_word(column, word)
        condition &= any_column
    return condition


def _name_runs_together(text):
    """Whether ``text`` run together begins a word of the name, as "open ai" begins OpenAI's ("openai")."""
    return Q(name_words__contains=f" {run_together(text)}")


def match_tiers(text):
    """How well a company matches ``text``, best first: every word in the name (or the text run together begins
    it); every word in the name, the focus or what they want. A match that needs a note or a role comes last."""
    looked_for = query_words(text)
    in_name = _name_runs_together(text) | _every_word_begins(looked_for, ["name_words"])
    return [in_name, in_name | _every_word_begins(looked_for, ["name_words", "topic_words"])]


class CompanyQuerySet(models.QuerySet):
    def published(self):
        """Profiles readers may see."""
        return self.filter(is_published=True)

    def for_listing(self):
        """Published profiles with category, edition and roles loaded for list pages."""
        return self.published().select_related("category", "edition").prefetch_related("roles")

    def matching(self, text):
        """Companies where every word of ``text`` begins a word of the name, the focus, what they want, the notes or
        one of their roles (core.words: "rust" finds Rust, not Trust), or where ``text`` run together begins a word of
        the name ("open ai" finds OpenAI). A text with no word in it finds nothing.

        The one text match of companies: the list's ``q`` filter, the API and site search all use it. The roles a word
        begins are found first (one query over the few roles), and each company's roles are then checked by one
        indexed lookup inside a scalar subquery: PostgreSQL would turn an ``EXISTS`` inside the ``OR`` into a hash of
        every company holding such a role, built before the first row. The word columns have trigram indexes on
        PostgreSQL.
        """
        looked_for = query_words(text)[:10]
        if not looked_for:
            return self.none()
        queryset, every_word = self, Q()
        through = self.model.roles.through
        roles = list(Role.objects.values_list("pk", "name"))
        for index, word in enumerate(looked_for):
            condition = _every_word_begins([word], TEXT_COLUMNS)
            role_ids = [pk for pk, name in roles if begin_words_of(name, [word])]
            if role_ids:
                held = through.objects.filter(company_id=OuterRef("pk"), role_id__in=role_ids).values("pk")[:1]
                queryset = queryset.alias(**{f"role_match_{index}": models.Subquery(held)})
                condition |= Q(**{f"role_match_{index}__isnull": False})
            every_word &= condition
        return queryset.filter(every_word | _name_runs_together(text))

    def ranked(self, text):
        """These companies, best match for ``text`` first (``match_tiers``), then by name: the same order on every
        database."""
        tiers = match_tiers(text)
        rank = Case(*(When(tier, then=Value(len(tiers) - n)) for n, tier in enumerate(tiers)), default=Value(0))
        return self.alias(search_rank=rank).order_by("-search_rank", "name")

    def best_matches(self, text, limit):
        """The first ``limit`` of ``ranked(text)``, read tier by tier, each an ``ORDER BY name LIMIT`` that an index
        serves: a word thousands of companies match costs no more than a rare one (at most three queries, and one for
        each of this QuerySet's ``prefetch_related`` lookups)."""
        found, higher = [], None
        for tier in [*match_tiers(text), None]:
            if len(found) >= limit:
                break
            rows = self.prefetch_related(None) if tier is None else self.prefetch_related(None).filter(tier)
            if higher is not None:
                rows = rows.exclude(higher)
            found += rows.order_by("name")[: limit - len(found)]
            higher = tier
        prefetch_related_objects(found, *self._prefetch_related_lookups)
        return found

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
    website = models.URLField(blank=True, help_text="The company's own site, e.g. https://www.anthropic.com/.")
    headquarters = models.CharField(
        max_length=120, blank=True, help_text="City and country as the company states them, e.g. San Francisco, US."
    )
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
    name_words = models.TextField(blank=True, editable=False, help_text="The words of the name (core.words).")
    topic_words = models.TextField(blank=True, editable=False, help_text="The words of the focus and wants.")
    note_words = models.TextField(blank=True, editable=False, help_text="The words of the watch-list and pay notes.")
    history = HistoricalRecords(m2m_fields=[roles], excluded_fields=list(TEXT_COLUMNS))

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

    def save(self, *args, **kwargs):
        # fill_search_columns sets them before every save; a save of some fields writes them too.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *TEXT_COLUMNS}
        super().save(*args, **kwargs)

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
    def website_label(self):
        """Its website as a reader reads it: "anthropic.com/" for https://www.anthropic.com/."""
        parts = urlsplit(self.website)
        return parts.netloc.removeprefix("www.") + parts.path

    @property
    def initials(self):
        """Up to two letters a list shows beside the name: "GD" for Google DeepMind, "A" for Amazon (AWS AI)."""
        letters = (next((c for c in word if c.isalnum()), "") for word in self.name.partition("(")[0].split())
        return "".join(letter for letter in letters if letter)[:2].upper()

    @property
    def comp_range(self):
        """The range as the guide writes it: "$200K-400K+"."""
        return usd_range(self.comp_min, self.comp_max, open_ended=self.comp_open_ended) if self.has_range else ""

    @property
    def comp_text(self):
        """Pay worded as the source words it, with its basis: "$250K-500K+ total comp", or "Top of market
        ($200K-400K+), basis not stated" where the source does not say whether it is base or total comp."""
        text = pay_text(self.comp_min, self.comp_max, open_ended=self.comp_open_ended, basis=self.comp_basis)
        if self.comp_note and text:
            text = f"{self.comp_note} ({text})"
        if text and self.has_range and not self.comp_basis:
            return f"{text}, basis not stated"
        return text or self.comp_note


@receiver(pre_save, sender=Company)
def fill_search_columns(sender, instance, **kwargs):
    """Keep a company's words (``search_columns``) in step with its text on every save, a fixture's too (``loaddata``
    saves without calling ``save()``). Rows written in bulk fill them themselves."""
    columns = search_columns(instance.name, instance.focus, instance.wants, instance.outlook_note, instance.comp_note)
    for name, value in columns.items():
        setattr(instance, name, value)
