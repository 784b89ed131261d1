"""Writes with rules: bookmarks."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company

from .models import Bookmark


def bookmark_set(*, user, company: Company, saved: bool) -> Bookmark | None:
    """Make ``company`` bookmarked (``saved=True``) or not for ``user``; repeating a call changes nothing.

    Removing keeps the note, stage and alerts (``removed_at``), so saving the company again restores them exactly.
    """
    now = timezone.now()
    if not saved:
        Bookmark.objects.filter(user=user, company=company).update(removed_at=now, updated_at=now)
        return None
    try:
        with transaction.atomic():
            bookmark, _ = Bookmark.all_objects.get_or_create(user=user, company=company)
    except IntegrityError:
        # A concurrent request saved the same bookmark between our read and our insert.
        bookmark = Bookmark.all_objects.get(user=user, company=company)
    if bookmark.removed_at is not None:
        Bookmark.all_objects.filter(pk=bookmark.pk).update(removed_at=None, updated_at=now)
        bookmark.removed_at, bookmark.updated_at = None, now
    return bookmark


def bookmarks_recently_removed(*, user, limit: int = 10):
    """The user's latest removed bookmarks, newest first, for restoring (1 query)."""
    return (
        Bookmark.all_objects.for_user(user)
        .filter(removed_at__isnull=False, company__is_published=True)
        .order_by("-removed_at")[:limit]
    )


def bookmark_update(*, bookmark: Bookmark, note: str | None = None, stage: str | None = None) -> Bookmark:
    """Change a bookmark's private note and/or stage; validates before saving."""
    if note is not None:
        bookmark.note = note
    if stage is not None:
        bookmark.stage = stage
    bookmark.full_clean(exclude=["user", "company"])
    bookmark.save(update_fields=["note", "stage", "updated_at"])
    return bookmark
