from drf_spectacular.utils import extend_schema_field
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
            "website",
            "headquarters",
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


class PostedPaySerializer(serializers.Serializer):
    level = serializers.CharField(help_text="junior, mid, senior or staff.")
    currency = serializers.CharField(help_text="ISO 4217, as posted; never converted.")
    min = serializers.IntegerField(help_text="Median of the postings' yearly minimums.")
    max = serializers.IntegerField(help_text="Median of the postings' yearly maximums.")
    postings = serializers.IntegerField(help_text="Open postings with yearly pay at this level and currency.")


class CompanyDetailSerializer(CompanySerializer):
    posted_pay = serializers.SerializerMethodField(
        help_text="What the company's open postings pay a year, per level and currency with at least 3 postings."
    )

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "posted_pay"]

    @extend_schema_field(PostedPaySerializer(many=True))
    def get_posted_pay(self, company):
        # The jobs app's posted_pay on the company's postings, read through the relation by name.
        rows = company.postings.posted_pay()
        return PostedPaySerializer([row for row in rows if row.has_figure], many=True).data
