"""Reads behind the guide's public pages: the current edition and everything it shows.

Every function runs a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q

from companies.models import Category, Company, Outlook
from core.pagination import CappedCount

PROFILES_PER_CATEGORY = 8
WATCH_LIST_LENGTH = 10


def _first_of_each(groups, *, per_group: int) -> Q:
    """Matches the first ``per_group`` published companies (by position, then name) of each filter in ``groups``.

    One indexed ``LIMIT`` subquery per group, joined by ``UNION ALL`` (each wrapped, since SQLite allows no
    ``LIMIT`` directly in a compound), so a group of 25,000 companies costs as much as one of four.
    """
    published = Company.objects.published().order_by("position", "name")
    firsts = [
        Company.objects.filter(pk__in=published.filter(**group).values("pk")[:per_group]).values("pk")
        for group in groups
    ]
    if not firsts:
        return Q(pk__in=[])
    return Q(pk__in=firsts[0].union(*firsts[1:], all=True))


def categories_with_profiles(*, per_category: int = PROFILES_PER_CATEGORY) -> list[Category]:
    """Categories in order, each with ``profile_count`` and ``profiles``: its first published companies (3 queries).

    At most ``per_category`` profiles each, and counts that stop past ``COUNT_CAP``, so the guide's length and
    cost do not grow with the company list.
    """
    published = Company.objects.published()
    categories = list(
        Category.objects.annotate(profile_count=CappedCount(published.filter(category=OuterRef("pk")))).order_by(
            "position", "name"
        )
    )
    profiles = (
        Company.objects.filter(_first_of_each([{"category": c.pk} for c in categories], per_group=per_category))
        .order_by("position", "name")
        .prefetch_related("roles")
    )
    by_category = {category.pk: category for category in categories}
    for category in categories:
        category.profiles = []
    for company in profiles:
        by_category[company.category_id].profiles.append(company)
    return categories


@dataclass
class WatchList:
    companies: list[Company] = field(default_factory=list)
    total: int = 0


def watch_lists(*, per_list: int = WATCH_LIST_LENGTH) -> dict[str, WatchList]:
    """The first ``per_list`` published companies of the growing and stable watch lists, and each list's length.

    One query for the companies and one for the lengths.
    """
    lists = {Outlook.GROWING: WatchList(), Outlook.STABLE: WatchList()}
    published = Company.objects.published()
    lengths = (
        Company.objects.order_by()
        .values(**{outlook: CappedCount(published.filter(outlook=outlook)) for outlook in lists})
        .first()
    ) or {}
    rows = Company.objects.filter(_first_of_each([{"outlook": o} for o in lists], per_group=per_list)).order_by(
        "outlook", "position", "name"
    )
    for company in rows:
        lists[company.outlook].companies.append(company)
    for outlook, watch in lists.items():
        watch.total = lengths.get(outlook, 0)
    return lists
