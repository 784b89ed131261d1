"""Read-only API of companies, categories and roles; the signed-in user's bookmarks."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from aihiring.renderers import FORMAT_PARAMETER, CSVMixin

from .filters import MAX_PAY, CompanyFilter
from .models import Bookmark, Category, Company, Role
from .serializers import (
    BookmarkSerializer,
    BookmarkUpdateSerializer,
    CategorySerializer,
    CompanySerializer,
    RoleSerializer,
)
from .services import bookmark_set, bookmark_update

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
        responses={(200, "application/json"): CompanySerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
)
class CompanyViewSet(CSVMixin, viewsets.ReadOnlyModelViewSet):
    """Published company profiles; the list takes the same filters as the site's company list."""

    queryset = Company.objects.for_listing()
    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    lookup_field = "slug"
    csv_filename = "companies.csv"

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


def _validation_error(exc: DjangoValidationError):
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


@extend_schema_view(
    create=extend_schema(
        responses={
            201: OpenApiResponse(BookmarkSerializer, description="Bookmarked."),
            200: OpenApiResponse(BookmarkSerializer, description="Already bookmarked: the existing bookmark."),
        }
    ),
)
class BookmarkViewSet(viewsets.ModelViewSet):
    """The signed-in user's own bookmarks. Others' bookmarks do not exist here (404)."""

    serializer_class = BookmarkSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["stage"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Bookmark.objects.none()
        return Bookmark.objects.for_user(self.request.user)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return BookmarkUpdateSerializer
        return BookmarkSerializer

    def create(self, request, *args, **kwargs):
        """Bookmark a company by slug; bookmarking it again returns the existing bookmark (200)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = Bookmark.objects.filter(user=request.user, company=data["company"]).exists()
        bookmark = bookmark_set(user=request.user, company=data["company"], saved=True)
        if "note" in data or "stage" in data:
            bookmark = self._update(bookmark, data)
        output = self.get_serializer(bookmark)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(output.data, status=code, headers={"Location": output.data["url"]})

    def perform_update(self, serializer):
        serializer.instance = self._update(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        bookmark_set(user=self.request.user, company=instance.company, saved=False)

    @staticmethod
    def _update(bookmark, data):
        try:
            return bookmark_update(bookmark=bookmark, note=data.get("note"), stage=data.get("stage"))
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc
