"""Writes with rules: accounts."""

from django.db import transaction

from companies.models import Bookmark

from .models import User


def account_delete(*, user: User) -> int:
    """Delete ``user`` with all their bookmarks and notes; returns how many bookmarks went with it."""
    with transaction.atomic():
        bookmark_count, _ = Bookmark.objects.filter(user=user).delete()
        user.delete()
    return bookmark_count
