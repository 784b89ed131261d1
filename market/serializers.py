from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    EDITION_TEXT_FIELDS,
    ComputedSnapshot,
    Edition,
    MarketSnapshot,
    SalaryBenchmark,
    Specialization,
    Trend,
)

METHOD_ANCHOR = "counting"


class ProvenanceSerializer(serializers.Serializer):
    """Where a figure comes from: read from the ``Sourced`` fields of the object itself."""

    edition = serializers.CharField(source="edition.slug", read_only=True, help_text="The edition's slug.")
    edition_name = serializers.CharField(source="edition.name", read_only=True, help_text="e.g. Q1 2026.")
    as_of = serializers.DateField(read_only=True, help_text="The date the figure describes.")
    source = serializers.CharField(read_only=True, help_text="Where the figure comes from.")
    source_url = serializers.CharField(read_only=True, help_text="A link to the source; empty when there is none.")
    last_verified = serializers.DateField(read_only=True, help_text="The day an editor last checked the figure.")
    needs_review = serializers.BooleanField(
        read_only=True,
        help_text="True when the figure is older than its edition: not verified since the edition before came out.",
    )


class SourcedSerializer(serializers.ModelSerializer):
    """A model serializer whose objects carry figures, with their provenance nested under ``provenance``."""

    provenance = ProvenanceSerializer(source="*", read_only=True)


class EditionSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:edition-detail", lookup_field="slug")

    class Meta:
        model = Edition
        fields = [
            "url",
            "slug",
            "name",
            "published_on",
            "is_current",
            *EDITION_TEXT_FIELDS,
        ]


class SalaryBenchmarkSerializer(SourcedSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True, help_text="e.g. Mid (2-5 yrs).")

    class Meta:
        model = SalaryBenchmark
        fields = ["id", "level", "level_label", "base_min", "base_max", "total_min", "total_max", "provenance"]


class ComputedFromSerializer(serializers.ModelSerializer):
    """What figures published from a count of postings rest on (``compute_snapshot``)."""

    method = serializers.SerializerMethodField(help_text="How the postings are counted: the methodology page.")

    class Meta:
        model = ComputedSnapshot
        fields = [
            "month",
            "postings",
            "sources",
            "remote_postings",
            "levelled_postings",
            "levelled_sources",
            "senior_postings",
            "previous_postings",
            "previous_sources",
            "computed_at",
            "method",
        ]
        extra_kwargs = {
            "month": {"help_text": "The month counted (its first day)."},
            "postings": {"help_text": "Postings open during the month: the active postings figure."},
            "sources": {"help_text": "Job boards those postings come from."},
            "remote_postings": {"help_text": "Of those, remote-eligible: the remote share's numerator."},
            "levelled_postings": {"help_text": "Of those, with a stated level: the senior share's denominator."},
            "levelled_sources": {"help_text": "Job boards the postings with a stated level come from."},
            "senior_postings": {"help_text": "Of the postings with a stated level, Senior or Staff+."},
            "previous_postings": {"help_text": "Postings open during the month before, counted alike."},
            "previous_sources": {"help_text": "Job boards those come from."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_method(self, computed):
        url = f"{reverse('guide:about_data')}#{METHOD_ANCHOR}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MarketSnapshotSerializer(SourcedSerializer):
    computed_from = ComputedFromSerializer(
        read_only=True,
        allow_null=True,
        help_text="What the figures were counted from, for figures published from postings; null for figures "
        "typed in by editors.",
    )

    class Meta:
        model = MarketSnapshot
        fields = [
            "id",
            "month",
            "total_postings",
            "mom_change_pct",
            "remote_eligible_pct",
            "senior_plus_pct",
            "computed_from",
            "provenance",
        ]


class TrendSerializer(SourcedSerializer):
    points = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="text", help_text="The trend's points, in order."
    )

    class Meta:
        model = Trend
        fields = ["id", "slug", "title", "intro", "points", "provenance"]


class SpecializationSerializer(SourcedSerializer):
    trend = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The slug of the trend it belongs to."
    )

    class Meta:
        model = Specialization
        fields = ["id", "name", "description", "trend", "provenance"]
