from django.utils.functional import SimpleLazyObject

from .models import Edition


def current_edition(request):
    """``current_edition`` for every template, read only when a template uses it (1 query then, none otherwise)."""
    return {"current_edition": SimpleLazyObject(Edition.objects.current)}
