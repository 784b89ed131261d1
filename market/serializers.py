from rest_framework import serializers

from .models import EDITION_TEXT_FIELDS, Edition, MarketSnapshot, SalaryBenchmark, Specialization, Trend


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


class MarketSnapshotSerializer(SourcedSerializer):
    class Meta:
        model = MarketSnapshot
        fields = [
            "id",
            "month",
            "total_postings",
            "mom_change_pct",
            "remote_eligible_pct",
            "senior_plus_pct",
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
