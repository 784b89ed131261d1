from rest_framework import serializers

from companies.models import Company

from .models import Bookmark


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
