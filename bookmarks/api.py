"""The signed-in user's bookmarks through the API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from .models import Bookmark
from .serializers import BookmarkSerializer, BookmarkUpdateSerializer
from .services import bookmark_set, bookmark_update


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
