"""Filters of a user's bookmarks, for the bookmarks page and its CSV export."""

import django_filters

from .models import Bookmark, BookmarkStage

BOOKMARK_ORDERINGS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "company": ("company__name", "pk"),
}


class BookmarkFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        choices=BookmarkStage.choices,
        empty_label=None,  # the bookmarks page adds "All stages (N)" with its count
        error_messages={
            "invalid_choice": "There is no stage called “%(value)s”; choose one from the list. Showing every stage."
        },
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        label="Sort by",
        empty_label=None,
        null_label=None,
        choices=[("-created", "Newest saved first"), ("created", "Oldest saved first"), ("company", "Company name")],
        error_messages={"invalid_choice": "Unknown sort order “%(value)s”; sorted by newest saved first."},
    )

    class Meta:
        model = Bookmark
        fields = ["stage", "ordering"]

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*BOOKMARK_ORDERINGS[value])
