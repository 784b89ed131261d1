"""What postings pay, for pages of layers that know nothing of postings (the salary benchmarks)."""

from django import template

from jobs.pay import market_posted_pay

register = template.Library()


@register.simple_tag
def posted_pay_by_level():
    """{level: [what open postings pay at it, one row per currency, dollars first]} over every company."""
    by_level = {}
    for row in market_posted_pay():
        by_level.setdefault(row.level, []).append(row)
    return by_level


@register.filter
def posted_for(by_level, level):
    """The rows of ``by_level`` (from ``posted_pay_by_level``) for one level."""
    return by_level.get(level, [])
