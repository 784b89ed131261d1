"""What postings pay by level: the medians of posted yearly minimums and maximums, per level and currency.

Computed by the database: each median is the middle row (or the two middle rows) of its level and currency,
found with window functions over indexed columns, so a company with 10,000 postings costs what one with 10 does,
in two queries. Only yearly ranges with a known level count; each currency stands apart (euros are never
converted to dollars). A level and currency with fewer than ``MIN_POSTINGS`` postings draws no figure.
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Value, Window
from django.db.models.functions import RowNumber

from core.money import money_range

from .models import Level, PayPeriod

MIN_POSTINGS = 3
LEVEL_ORDER = [Level.JUNIOR, Level.MID, Level.SENIOR, Level.STAFF]


@dataclass(frozen=True)
class PostedPay:
    level: str
    currency: str
    postings: int
    min: int | None  # medians; None when fewer than MIN_POSTINGS postings back them
    max: int | None

    @property
    def level_label(self):
        return Level(self.level).label

    @property
    def has_figure(self):
        return self.min is not None

    @property
    def range_text(self):
        """E.g. "$180K-240K" or "€90K-120K", to the nearest thousand; "" without a figure."""
        if not self.has_figure:
            return ""
        return money_range(round(self.min, -3) or self.min, round(self.max, -3) or self.max, self.currency)


def _medians(postings, column, *, per_company=True):
    """{(company or None, level, currency): (median, count)} of ``column`` over ``postings``, in one query."""
    partition = [F("company_id"), F("level"), F("pay_currency")] if per_company else [F("level"), F("pay_currency")]
    middle = (
        postings.order_by()
        .annotate(
            group_size=Window(Count("pk"), partition_by=partition),
            position=Window(RowNumber(), partition_by=partition, order_by=[F(column).asc(), F("pk").asc()]),
        )
        .filter(position__gte=F("group_size") / 2.0, position__lte=F("group_size") / 2.0 + 1)
        .values_list(
            "company_id" if per_company else Value(None, output_field=IntegerField()),
            "level",
            "pay_currency",
            column,
            "group_size",
            "position",
        )
    )
    found = {}
    for company, level, currency, value, size, position in middle:
        # The middle row of an odd group, or the two middle rows of an even one.
        if size % 2 and position != (size + 1) // 2 or not size % 2 and position not in (size // 2, size // 2 + 1):
            continue
        found.setdefault((company, level, currency), ([], size))[0].append(value)
    return {key: (round(sum(values) / len(values)), size) for key, (values, size) in found.items()}


def posted_pay_by_company(postings, *, per_company=True):
    """{company id: its posted pay per level and currency, juniors first} over ``postings`` (two queries); with
    ``per_company=False``, {None: the same over all of them}."""
    yearly = postings.filter(pay_period=PayPeriod.YEAR, pay_min__isnull=False).exclude(level=Level.UNKNOWN)
    lows = _medians(yearly, "pay_min", per_company=per_company)
    highs = _medians(yearly, "pay_max", per_company=per_company)
    by_company = {}
    for (company, level, currency), (low, size) in lows.items():
        enough = size >= MIN_POSTINGS
        high = highs[(company, level, currency)][0]
        row = PostedPay(level, currency, size, low if enough else None, high if enough else None)
        by_company.setdefault(company, []).append(row)
    for rows in by_company.values():
        rows.sort(key=lambda row: (LEVEL_ORDER.index(row.level), row.currency != "USD", row.currency))
    return by_company


def market_posted_pay():
    """What open postings of published companies pay by level and currency, all companies together.

    Over every posting, so it is kept in Django's cache until a sync changes the postings (the key names the
    latest successful sync), and a page that shows it costs one small query when it is kept.
    """
    from django.core.cache import cache
    from django.db.models import Max

    from .models import JobSource, Posting

    latest = JobSource.objects.aggregate(latest=Max("last_success_at"))["latest"]
    key = f"jobs:market-posted-pay:{latest.isoformat() if latest else 'none'}"
    postings = Posting.objects.open().filter(company__is_published=True)
    return cache.get_or_set(
        key, lambda: posted_pay_by_company(postings, per_company=False).get(None, []), timeout=6 * 3600
    )


def posted_pay(postings):
    """Posted pay per level and currency of one company's ``postings`` (a Posting queryset), juniors first."""
    return next(iter(posted_pay_by_company(postings).values()), [])
