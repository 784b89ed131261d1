from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class AdviceGroup(models.TextChoices):
    GETTING_HIRED = "getting-hired", "Getting hired"
    STAND_OUT = "stand-out", "How to stand out"
    BOTTOM_LINE = "bottom-line", "The bottom line"


class AdviceSectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_tips(self):
        """Published sections in order with their tips prefetched."""
        return self.published().prefetch_related("tips")


class AdviceSection(models.Model):
    """A section of candidate advice, e.g. "What's Working", with ordered tips."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    group = models.CharField(max_length=20, choices=AdviceGroup.choices)
    intro = models.TextField(blank=True)
    is_numbered = models.BooleanField(default=False, help_text="Show the tips as numbered steps.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AdviceSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("advice:section_detail", args=[self.slug])


class Tip(models.Model):
    section = models.ForeignKey(AdviceSection, on_delete=models.CASCADE, related_name="tips")
    title = models.CharField(max_length=120, blank=True, help_text="Optional bold lead, e.g. Strong portfolios.")
    body = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title or self.body[:60]
