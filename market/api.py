"""Read-only API of editions and market figures; every figure carries its provenance."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.renderers import FORMAT_PARAMETER, CSVMixin

from .models import Edition, MarketSnapshot, SalaryBenchmark, SalaryLevel, Specialization, Trend
from .serializers import (
    EditionSerializer,
    MarketSnapshotSerializer,
    SalaryBenchmarkSerializer,
    SpecializationSerializer,
    TrendSerializer,
)


class EditionFilter(django_filters.FilterSet):
    edition = django_filters.ModelChoiceFilter(
        queryset=Edition.objects.published(),
        to_field_name="slug",
        help_text="Only this published edition's figures, by slug, e.g. 2026-q1.",
    )


class SalaryBenchmarkFilter(EditionFilter):
    level = django_filters.ChoiceFilter(choices=SalaryLevel.choices, help_text="Only this level.")

    class Meta:
        model = SalaryBenchmark
        fields = ["edition", "level"]


class MarketSnapshotFilter(EditionFilter):
    class Meta:
        model = MarketSnapshot
        fields = ["edition"]


class TrendFilter(EditionFilter):
    class Meta:
        model = Trend
        fields = ["edition"]


class SpecializationFilter(EditionFilter):
    class Meta:
        model = Specialization
        fields = ["edition"]


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published editions of the guide, newest first."""

    queryset = Edition.objects.published()
    serializer_class = EditionSerializer
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): SalaryBenchmarkSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
)
class SalaryBenchmarkViewSet(CSVMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Salary benchmarks by level, base and total comp in whole US dollars: newest edition first, junior first."""

    queryset = SalaryBenchmark.objects.for_listing()
    serializer_class = SalaryBenchmarkSerializer
    filterset_class = SalaryBenchmarkFilter
    csv_filename = "salaries.csv"


class MarketSnapshotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Headline market figures by month, latest month first."""

    queryset = MarketSnapshot.objects.published().order_by("-month", "-edition__published_on", "id")
    serializer_class = MarketSnapshotSerializer
    filterset_class = MarketSnapshotFilter


class MarketSeriesViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The headline figures month by month, oldest first, in one list (not paged): for each month the snapshot of
    the latest published edition that has it. ``computed_from`` says which months were counted from postings."""

    queryset = MarketSnapshot.objects.series()
    serializer_class = MarketSnapshotSerializer
    pagination_class = None


class TrendViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Market trends with their points: newest edition first, then in the guide's order."""

    queryset = Trend.objects.published().prefetch_related("points").order_by("-edition__published_on", "position", "id")
    serializer_class = TrendSerializer
    filterset_class = TrendFilter


class SpecializationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Specializations in demand: newest edition first, then in the guide's order."""

    queryset = (
        Specialization.objects.published().select_related("trend").order_by("-edition__published_on", "position", "id")
    )
    serializer_class = SpecializationSerializer
    filterset_class = SpecializationFilter
