"""Read-only API of postings, with the same filters as /jobs/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from core.renderers import FORMAT_PARAMETER, CSVMixin

from .filters import MAX_DAYS, PostingFilter
from .models import Posting
from .serializers import PostingSerializer

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", {"type": "string", "maxLength": 100}, description="Words in the title, company, team or location."
    ),
    OpenApiParameter("company", str, description="A company slug, as listed by /api/companies/."),
    OpenApiParameter("role", str, description="A role slug, as listed by /api/roles/."),
    OpenApiParameter("location", {"type": "string", "maxLength": 100}, description="Text in the locations."),
    OpenApiParameter("has_pay", str, enum=["1", "0"], description="1: only postings with pay; 0: only without."),
    OpenApiParameter(
        "posted_within",
        {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
        description="Only postings published within this many days.",
    ),
    OpenApiParameter("state", str, enum=["open", "closed", "all"], description="open (the default), closed or all."),
]


@extend_schema_view(
    list=extend_schema(
        parameters=[*FILTER_PARAMETERS, FORMAT_PARAMETER],
        responses={(200, "application/json"): PostingSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    ),
    retrieve=extend_schema(
        parameters=[FORMAT_PARAMETER],
        responses={(200, "application/json"): PostingSerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
)
class PostingViewSet(CSVMixin, viewsets.ReadOnlyModelViewSet):
    """Roles from the companies' own job boards, newest first; open ones unless ``state`` says otherwise."""

    queryset = Posting.objects.listed()
    serializer_class = PostingSerializer
    filterset_class = PostingFilter
    csv_filename = "jobs.csv"
    csv_max_rows = 5000

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)
