"""``/changes/``: recent published changes to company profiles, as a page and an Atom feed."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import ListView

from market.models import Edition

from .changes import movement_since, published_changes

FEED_ITEMS = 20


class ChangeListView(ListView):
    """Every published change, newest first, 20 a page; a page number out of range shows the nearest page."""

    template_name = "companies/changes.html"
    context_object_name = "changes"
    paginate_by = 20

    def get_queryset(self):
        return published_changes()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = Edition.objects.current()
        previous = current.previous() if current else None
        context.update(
            current_edition=current,
            previous_edition=previous,
            movement=movement_since(previous) if previous else [],
        )
        return context

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class ChangeFeed(Feed):
    """``/changes/feed/``: the latest published changes to company profiles."""

    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: changes to company profiles"
    subtitle = "Pay ranges, outlooks, roles and what companies want, as editors update them."

    def link(self):
        return reverse("changes:change_list")

    def items(self):
        return published_changes()[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.company_name}: {item.summary}"

    def item_description(self, item):
        return f"{item.company_name}: {item.summary}."

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{item.get_absolute_url()}#change-{item.changed_at:%Y%m%dT%H%M%S%f}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.changed_at

    def item_updateddate(self, item):
        return item.changed_at
