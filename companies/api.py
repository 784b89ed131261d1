"""Read-only API of companies, categories and roles."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from core.renderers import FORMAT_PARAMETER, CSVMixin

from .filters import MAX_PAY, CompanyFilter
from .models import Category, Company, Role
from .serializers import CategorySerializer, CompanyDetailSerializer, CompanySerializer, RoleSerializer

# Descriptions for the shared CompanyFilter's parameters (names and meaning are the HTML list's).
FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 100},
        description="Words to find in the name, focus, roles, watch-list note or wants.",
    ),
    OpenApiParameter("category", str, description="A category slug, as listed by /api/categories/."),
    OpenApiParameter("role", str, description="A role slug, as listed by /api/roles/."),
]
COMP_MIN_PARAMETER = OpenApiParameter(
    "comp_min",
    {"type": "integer", "minimum": 0, "maximum": MAX_PAY},
    description="Only companies whose published pay reaches at least this many US dollars.",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[*FILTER_PARAMETERS, COMP_MIN_PARAMETER, FORMAT_PARAMETER],
        responses={(200, "application/json"): CompanySerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    ),
    retrieve=extend_schema(
        parameters=[FORMAT_PARAMETER],
        responses={(200, "application/json"): CompanyDetailSerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
)
class CompanyViewSet(CSVMixin, viewsets.ReadOnlyModelViewSet):
    """Published company profiles; the list takes the same filters as the site's company list."""

    queryset = Company.objects.for_listing()
    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    lookup_field = "slug"
    csv_filename = "companies.csv"

    def get_serializer_class(self):
        return CompanyDetailSerializer if self.action == "retrieve" else CompanySerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The guide's company categories, in order."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    lookup_field = "slug"


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    """Role titles shared across companies."""

    queryset = Role.objects.all()
    serializer_class = RoleSerializer
    lookup_field = "slug"
