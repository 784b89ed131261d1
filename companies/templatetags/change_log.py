"""``{% change_log company %}``: a profile's published changes, for the company page."""

from django import template

from companies.changes import company_changes

register = template.Library()


@register.inclusion_tag("companies/includes/_change_log.html")
def change_log(company):
    """Render the profile's change log (2 queries, whatever the number of changes)."""
    return {"company": company, "company_changes": company_changes(company)}
