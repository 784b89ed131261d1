"""The company list's filters, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q

from .models import Category, Company, Outlook, Role

ORDERINGS = {
    "name": ("name",),
    "-comp_max": (F("comp_max").desc(nulls_last=True), "name"),
    "comp_min": (F("comp_min").asc(nulls_last=True), "name"),
    "-updated": ("-updated_at", "name"),
}

MAX_PAY = 100_000_000


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Search", max_length=100, help_text="Name, focus, roles or what they want."
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="slug", empty_label="Any category"
    )
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(), to_field_name="slug", field_name="roles", empty_label="Any role"
    )
    outlook = django_filters.ChoiceFilter(
        choices=[c for c in Outlook.choices if c[0]], empty_label="Any outlook", label="Watch list"
    )
    comp_min = django_filters.NumberFilter(
        field_name="comp_max",
        lookup_expr="gte",
        label="Pay reaches at least (USD)",
        min_value=0,
        max_value=MAX_PAY,
        widget=forms.NumberInput(attrs={"step": 10000, "min": 0, "placeholder": "e.g. 250000"}),
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        label="Sort by",
        empty_label="Name",
        choices=[
            ("name", "Name"),
            ("-comp_max", "Highest pay first"),
            ("comp_min", "Lowest starting pay first"),
            ("-updated", "Recently updated"),
        ],
    )

    class Meta:
        model = Company
        fields = ["q", "category", "role", "outlook", "comp_min", "ordering"]

    def filter_q(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            role_match = Role.objects.filter(companies=OuterRef("pk"), name__icontains=term)
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(focus__icontains=term)
                | Q(wants__icontains=term)
                | Q(outlook_note__icontains=term)
                | Q(Exists(role_match))
            )
        return queryset

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])
