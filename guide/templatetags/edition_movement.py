"""``{% edition_movement edition %}``: what moved since the edition before, for the guide's pages."""

from django import template

from guide.movement import edition_movement as movement_of

register = template.Library()


@register.inclusion_tag("includes/_edition_movement.html")
def edition_movement(edition):
    """Headline figures, pay bands and companies that moved since the previous edition; nothing without one."""
    return {"movement": movement_of(edition)}
