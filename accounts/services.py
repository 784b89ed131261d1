"""Writes with rules: accounts."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


def account_delete(*, user: User) -> int:
    """Delete ``user`` with all their bookmarks and notes; returns how many bookmarks went with it."""
    with transaction.atomic():
        bookmark_count = user.bookmarks.count()
        user.delete()  # bookmarks and notes go with it (on_delete=CASCADE)
    return bookmark_count


def api_token_create(*, user: User) -> Token:
    """A new API token for ``user``, replacing any earlier one (so a leaked token stops working)."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_token_revoke(*, user: User) -> bool:
    """Delete ``user``'s API token; True when there was one. A password change or reset calls this too."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
