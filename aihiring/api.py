"""The one API router: every app registers its viewsets here; the schema, docs and token routes sit beside it."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils import translation
from django.utils.csp import CSP
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, routers, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from advice.api import AdviceSectionViewSet
from bookmarks.api import BookmarkViewSet
from companies.api import CategoryViewSet, CompanyViewSet, RoleViewSet
from core.parsers import JSONParser
from jobs.api import PostingViewSet
from market.api import (
    EditionViewSet,
    MarketSeriesViewSet,
    MarketSnapshotViewSet,
    SalaryBenchmarkViewSet,
    SpecializationViewSet,
    TrendViewSet,
)

app_name = "api"


class APIRootView(routers.APIRootView):
    """The collections, led by the human-readable docs and the OpenAPI schema, for whoever opens /api/ in a browser."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        links = {name: reverse(f"api:{name}", request=request) for name in ("docs", "schema")}
        response.data = {**links, **response.data}
        return response


class Router(routers.DefaultRouter):
    include_format_suffixes = False  # formats come from ?format= only
    APIRootView = APIRootView


router = Router()
router.register("companies", CompanyViewSet, basename="company")
router.register("categories", CategoryViewSet, basename="category")
router.register("roles", RoleViewSet, basename="role")
router.register("editions", EditionViewSet, basename="edition")
router.register("salaries", SalaryBenchmarkViewSet, basename="salary")
router.register("market/snapshots", MarketSnapshotViewSet, basename="snapshot")
router.register("market/series", MarketSeriesViewSet, basename="series")
router.register("market/trends", TrendViewSet, basename="trend")
router.register("specializations", SpecializationViewSet, basename="specialization")
router.register("jobs", PostingViewSet, basename="posting")
router.register("advice", AdviceSectionViewSet, basename="advice")
router.register("bookmarks", BookmarkViewSet, basename="bookmark")


class TokenRequestSerializer(AuthTokenSerializer):
    """A username and password; an over-long username is refused before anyone is authenticated."""

    username = serializers.CharField(label="Username", write_only=True, max_length=150)


class TokenView(ObtainAuthToken):
    """Trade a username and password for the user's API token (created on first use)."""

    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    parser_classes = [JSONParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # django-axes marks the request it was given (this DRF request, which its middleware never sees) when
            # the username and address are locked out: say so, as the sign-in page does, rather than "Unable to log in".
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(
                    wait=get_cool_off(request).total_seconds(),
                    detail="Too many failed sign-ins for this username from your address.",
                ) from None
            raise


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process and language: it only changes with the code."""

    _schemas = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        if key not in self._schemas:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            self._schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(data=self._schemas[key], headers={"Content-Disposition": f'inline; filename="{filename}"'})


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files; its start-up script is a separate file, so a strict CSP holds.

    Swagger UI's stylesheet draws its icons as ``data:`` SVG images, so this page alone allows those.
    """

    template_name = "core/api_docs.html"
    title = "AI Hiring Guide API"

    def _get_schema_url(self, request):
        return set_query_parameters(super()._get_schema_url(request), format="json")  # JSON renders faster than YAML

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        policy = dict(getattr(settings, "SECURE_CSP", None) or {})
        if policy:
            policy["img-src"] = [*policy.get("img-src", [CSP.SELF]), "data:"]
            response._csp_config = policy
        return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include(router.urls)),
    # Unknown addresses under /api/ answer in JSON too (only those ending in "/", so APPEND_SLASH still redirects).
    re_path(r"^.*/$", not_found),
]
