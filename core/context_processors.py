from django.conf import settings


def site(request):
    """Site-wide names for templates."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # How long a {% cache %} fragment is kept: as long as a whole page (which a content change also ends).
        "PAGE_CACHE_SECONDS": settings.PAGE_CACHE_SECONDS,
    }
