"""The postings' filters, shared by /jobs/ and /api/jobs/."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from companies.models import Company, Role
from core.words import begins_a_word, query_words, starts_a_word

from .models import Level, Posting, Workplace

MAX_DAYS = 365


class PostingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=100,
        help_text="Words in the title, company, team or location; the start of a word is enough.",
        error_messages={"max_length": "Shorten the search to 100 characters or fewer."},
    )
    company = django_filters.ModelChoiceFilter(
        queryset=Company.objects.published(),
        to_field_name="slug",
        empty_label="Any company",
        error_messages={"invalid_choice": "Choose a company from the list; no published company has that name."},
    )
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(),
        to_field_name="slug",
        empty_label="Any role",
        error_messages={"invalid_choice": "Choose a role from the list; the guide has no role with that name."},
    )
    level = django_filters.ChoiceFilter(
        choices=Level.choices,
        empty_label="Any level",
        error_messages={"invalid_choice": "Choose a level from the list: junior, mid, senior, staff or unknown."},
    )
    workplace = django_filters.ChoiceFilter(
        choices=Workplace.choices,
        empty_label="Anywhere",
        error_messages={"invalid_choice": "Choose remote, hybrid, on-site or not stated."},
    )
    location = django_filters.CharFilter(
        method="filter_location",
        label="Location",
        max_length=100,
        help_text="A city, country or region, e.g. London.",
        error_messages={"max_length": "Shorten the location to 100 characters or fewer."},
    )
    has_pay = django_filters.ChoiceFilter(
        method="filter_has_pay",
        label="Pay",
        choices=[("1", "Pay posted"), ("0", "No pay posted")],
        empty_label="With or without pay",
        error_messages={"invalid_choice": "Use 1 for postings with pay or 0 for those without."},
    )
    posted_within = django_filters.NumberFilter(
        method="filter_posted_within",
        label="Posted within (days)",
        min_value=1,
        max_value=MAX_DAYS,
        decimal_places=0,
        error_messages={
            "invalid": "Enter a whole number of days, like 30.",
            "min_value": "Enter 1 day or more.",
            "max_value": f"Enter {MAX_DAYS} days or fewer.",
            "max_decimal_places": "Enter a whole number of days, like 30.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "placeholder": "e.g. 30"}),
    )
    state = django_filters.ChoiceFilter(
        method="filter_state",
        label="Open or closed",
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")],
        empty_label=None,
        error_messages={"invalid_choice": "Choose open, closed or all."},
    )

    class Meta:
        model = Posting
        fields = ["q", "company", "role", "level", "workplace", "location", "has_pay", "posted_within", "state"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(closed_at__isnull=True)  # open by default
        return queryset

    def filter_q(self, queryset, name, value):
        """Every word begins a word of the title, the department, the locations or the company's name (core.words).

        The few companies a word names are looked up first (one small query per word), so that each condition is
        served by the postings table's own indexes: the list index that carries the words (PostgreSQL), the
        trigram index for a rare word, the company index for the names.
        """
        for word in query_words(value)[:10]:
            condition = begins_a_word("search_text", word)
            named = Company.objects.filter(begins_a_word("name_words", word))
            companies = list(named.values_list("pk", flat=True)[:100])
            if companies:
                condition |= Q(company_id__in=companies)
            queryset = queryset.filter(condition)
        return queryset

    def filter_location(self, queryset, name, value):
        """Every word begins a word of one of the posting's locations: "york" finds New York, "new" too."""
        return queryset.filter(starts_a_word("location_words", value))

    def filter_has_pay(self, queryset, name, value):
        return queryset.filter(pay_min__isnull=value != "1")

    def filter_posted_within(self, queryset, name, value):
        return queryset.filter(posted_at__gte=timezone.now() - datetime.timedelta(days=int(value)))

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(closed_at__isnull=True)
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset
