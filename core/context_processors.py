from django.conf import settings


def site(request):
    """Site-wide names for templates."""
    return {"SITE_NAME": settings.SITE_NAME, "NEEDS_REVIEW_AFTER_DAYS": settings.NEEDS_REVIEW_AFTER_DAYS}
