"""Writes with rules: bookmarks."""

from django.db import IntegrityError, transaction

from companies.models import Company

from .models import Bookmark


def bookmark_set(*, user, company: Company, saved: bool) -> Bookmark | None:
    """Make ``company`` bookmarked (``saved=True``) or not for ``user``; repeating a call changes nothing."""
    if not saved:
        Bookmark.objects.filter(user=user, company=company).delete()
        return None
    try:
        with transaction.atomic():
            bookmark, _ = Bookmark.objects.get_or_create(user=user, company=company)
    except IntegrityError:
        # A concurrent request saved the same bookmark between our read and our insert.
        bookmark = Bookmark.objects.get(user=user, company=company)
    return bookmark


def bookmark_update(*, bookmark: Bookmark, note: str | None = None, stage: str | None = None) -> Bookmark:
    """Change a bookmark's private note and/or stage; validates before saving."""
    if note is not None:
        bookmark.note = note
    if stage is not None:
        bookmark.stage = stage
    bookmark.full_clean(exclude=["user", "company"])
    bookmark.save(update_fields=["note", "stage", "updated_at"])
    return bookmark
