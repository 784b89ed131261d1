from rest_framework import serializers

from core.serializers import PageURLField

from .models import AdviceSection, Tip


class TipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tip
        fields = ["title", "body"]


class AdviceSectionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:advice-detail", lookup_field="slug")
    html_url = PageURLField(help_text="The section's page on the site.")
    group_label = serializers.CharField(source="get_group_display", read_only=True)
    tips = TipSerializer(many=True, read_only=True)

    class Meta:
        model = AdviceSection
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "group",
            "group_label",
            "intro",
            "is_numbered",
            "tips",
            "updated_at",
        ]
