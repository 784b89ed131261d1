"""The company list's filters, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import F, Q

from .models import Category, Company, Outlook, Role

ORDERINGS = {
    "name": ("name",),
    "-comp_max": (F("comp_max").desc(nulls_last=True), "name"),
    "comp_min": (F("comp_min").asc(nulls_last=True), "name"),
    "-updated": ("-updated_at", "name"),
}

MAX_PAY = 100_000_000
WATCH_LIST = "watch"  # the outlook filter's value for a company on either watch list


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=100,
        help_text="Name, focus, roles, what they want or pay notes.",
        error_messages={"max_length": "Shorten the search to 100 characters or fewer."},
        widget=forms.TextInput(attrs={"placeholder": "Name, focus or role"}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label="Any category",
        error_messages={"invalid_choice": "Choose a category from the list; there is no category with that name."},
    )
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(),
        to_field_name="slug",
        field_name="roles",
        label="Role",
        empty_label="Any role",
        error_messages={"invalid_choice": "Choose a role from the list; no company lists a role with that name."},
    )
    outlook = django_filters.ChoiceFilter(
        method="filter_outlook",
        # The edition's "Companies to Watch", as it words them: both lists, or one.
        choices=[
            (WATCH_LIST, "All companies to watch"),
            (Outlook.GROWING, "Growing teams"),
            (Outlook.STABLE, "Stable employers"),
        ],
        empty_label="All companies",
        label="Watch list",
        error_messages={"invalid_choice": "Choose “All companies to watch”, “Growing teams” or “Stable employers”."},
    )
    comp_min = django_filters.NumberFilter(
        method="filter_comp_min",
        label="Pay reaches (USD)",
        help_text="Companies whose published range reaches at least this, in whole US dollars, e.g. 250000.",
        min_value=0,
        max_value=MAX_PAY,
        decimal_places=0,
        error_messages={
            "invalid": "Enter pay as a whole number of US dollars, like 250000.",
            "min_value": "Enter an amount of 0 or more.",
            "max_value": f"Enter an amount up to {MAX_PAY:,}.",
            "max_decimal_places": "Enter pay as a whole number of US dollars, like 250000.",
        },
        # A text box with a numeric keyboard (as GOV.UK advises) shows a mistyped value back to its author.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "placeholder": "e.g. 250000"}),
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        label="Sort by",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a sort order from the list."},
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
        return queryset.matching(value)

    def filter_outlook(self, queryset, name, value):
        if value == WATCH_LIST:
            return queryset.exclude(outlook=Outlook.NONE)
        return queryset.filter(outlook=value)

    def filter_comp_min(self, queryset, name, value):
        """Ranges reaching ``value``: a top at or above it, or an open-ended top ("$200K-400K+")."""
        return queryset.filter(comp_max__isnull=False).filter(Q(comp_max__gte=value) | Q(comp_open_ended=True))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])
