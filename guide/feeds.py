"""``/feed/``: an Atom feed of the latest edition and recently updated company profiles."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from companies.changes import published_changes
from companies.models import Company
from market.models import Edition

RECENT_PROFILES = 20


class GuideFeed(Feed):
    feed_type = Atom1Feed
    title = settings.SITE_NAME
    subtitle = "New editions of the guide and company profiles as editors update them."

    def link(self):
        return reverse("home")

    def items(self):
        edition = Edition.objects.published().first()
        profiles = list(
            Company.objects.published().select_related("category").order_by("-updated_at", "name")[:RECENT_PROFILES]
        )
        # Each profile carries its latest published change (companies.changes), so readers see what moved.
        changes = published_changes(company_ids=[p.pk for p in profiles], companies={p.pk: p for p in profiles})
        for profile in profiles:
            profile.latest_change = next((c for c in changes if c.company_id == profile.pk and not c.is_new), None)
        items = ([edition] if edition else []) + profiles
        return sorted(items, key=self.item_updateddate, reverse=True)

    def item_title(self, item):
        if isinstance(item, Edition):
            return f"{settings.SITE_NAME}: the {item.name} edition"
        return f"{item.name}: profile updated"

    def item_description(self, item):
        if isinstance(item, Edition):
            return item.summary
        change = getattr(item, "latest_change", None)
        facts = [
            f"Changed {change.changed_at:%-d %b %Y}: {change.summary}" if change else "",
            item.category.name if item.category else item.get_outlook_display(),
            f"Focus: {item.focus}" if item.focus else "",
            f"Compensation: {item.comp_text}" if item.comp_text else "",
            f"What they want: {item.wants}" if item.wants else "",
            item.outlook_note,
        ]
        return " · ".join(fact for fact in facts if fact)

    def item_link(self, item):
        if isinstance(item, Edition):
            return reverse("home") + f"#edition-{item.slug}"
        return item.get_absolute_url()

    def item_updateddate(self, item):
        if isinstance(item, Edition):
            return max(_start_of(item.published_on), item.updated_at)
        return item.updated_at

    def item_pubdate(self, item):
        if isinstance(item, Edition):
            return _start_of(item.published_on)
        return item.created_at


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
