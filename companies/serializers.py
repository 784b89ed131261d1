from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from market.serializers import SourcedSerializer

from .models import Bookmark, Category, Company, Role


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute address of the object's page on the site."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CategorySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:category-detail", lookup_field="slug")
    html_url = PageURLField(help_text="The site's company list for this category.")

    class Meta:
        model = Category
        fields = ["url", "html_url", "slug", "name", "description"]


class RoleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:role-detail", lookup_field="slug")
    html_url = PageURLField(help_text="The site's company list for this role.")

    class Meta:
        model = Role
        fields = ["url", "html_url", "slug", "name"]


class CategorySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class RoleSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["slug", "name"]


class CompanySerializer(SourcedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:company-detail", lookup_field="slug")
    html_url = PageURLField(help_text="The company's profile on the site.")
    category = CategorySummarySerializer(read_only=True, allow_null=True)
    roles = RoleSummarySerializer(many=True, read_only=True)
    comp_text = serializers.CharField(
        read_only=True, help_text='Pay worded as the guide words it, e.g. "Top of market ($200K-400K+)".'
    )

    class Meta:
        model = Company
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "category",
            "roles",
            "focus",
            "wants",
            "comp_min",
            "comp_max",
            "comp_basis",
            "comp_open_ended",
            "comp_note",
            "comp_text",
            "outlook",
            "outlook_note",
            "updated_at",
            "provenance",
        ]


class BookmarkSerializer(serializers.ModelSerializer):
    """A bookmark of the signed-in user; created by company slug."""

    url = serializers.HyperlinkedIdentityField(view_name="api:bookmark-detail")
    company = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Company.objects.published(),
        help_text="The company's slug.",
        error_messages={"does_not_exist": "No published company has the slug “{value}”."},
    )
    company_name = serializers.CharField(source="company.name", read_only=True)
    company_url = serializers.HyperlinkedRelatedField(
        source="company", view_name="api:company-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Bookmark
        fields = ["id", "url", "company", "company_name", "company_url", "note", "stage", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class BookmarkUpdateSerializer(BookmarkSerializer):
    """Changes a bookmark's note and stage; its company stays."""

    company = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The company's slug.")
