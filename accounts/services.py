"""Writes with rules: accounts."""

from django.db import transaction

from .models import User


def account_delete(*, user: User) -> int:
    """Delete ``user`` with all their bookmarks and notes; returns how many bookmarks went with it."""
    with transaction.atomic():
        bookmark_count = user.bookmarks.count()
        user.delete()  # bookmarks and notes go with it (on_delete=CASCADE)
    return bookmark_count
