from rest_framework import serializers

from core.serializers import PageURLField
from market.serializers import SourcedSerializer

from .models import Category, Company, Role


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
