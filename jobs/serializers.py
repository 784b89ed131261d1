from rest_framework import serializers

from core.serializers import PageURLField

from .models import Posting


class PaySerializer(serializers.Serializer):
    """Posted pay in the employer's own currency and period; null when the posting gives none."""

    min = serializers.IntegerField(source="pay_min", help_text="Whole units of the currency.")
    max = serializers.IntegerField(source="pay_max")
    currency = serializers.CharField(source="pay_currency", help_text="ISO 4217, e.g. USD or EUR; never converted.")
    period = serializers.CharField(source="pay_period", help_text="year, month or hour.")

    def to_representation(self, posting):
        return super().to_representation(posting) if posting.pay_min is not None else None


class PostingSerializer(serializers.ModelSerializer):
    html_url = PageURLField(help_text="The posting's page on the site.")
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    provider = serializers.CharField(source="source.provider", read_only=True)
    role = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The guide's role, or null when none fits."
    )
    url = serializers.URLField(read_only=True, help_text="The employer's own page for the role.")
    locations = serializers.ListField(child=serializers.CharField(), read_only=True)
    pay = PaySerializer(source="*", read_only=True, allow_null=True)
    last_seen = serializers.DateTimeField(
        source="last_sighting", read_only=True, help_text="When the sync last found it on its board."
    )

    class Meta:
        model = Posting
        fields = [
            "id",
            "html_url",
            "company",
            "provider",
            "title",
            "url",
            "apply_url",
            "locations",
            "workplace",
            "level",
            "role",
            "employment_type",
            "department",
            "pay",
            "posted_at",
            "first_seen",
            "last_seen",
            "closed_at",
        ]
