"""Read-only API of the candidate advice."""

import django_filters
from rest_framework import viewsets

from .models import AdviceGroup, AdviceSection
from .serializers import AdviceSectionSerializer


class AdviceSectionFilter(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(choices=AdviceGroup.choices, help_text="Only this group's sections.")

    class Meta:
        model = AdviceSection
        fields = ["group"]


class AdviceSectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published advice sections in the guide's order, with their tips."""

    queryset = AdviceSection.objects.with_tips()
    serializer_class = AdviceSectionSerializer
    filterset_class = AdviceSectionFilter
    lookup_field = "slug"
