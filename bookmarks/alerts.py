"""Change alerts: a daily email per user about their bookmarked companies' published changes and new editions.

``python manage.py send_alerts`` (cron, e.g. hourly or daily) calls ``alert_digests_send``. A user gets at most
one digest a day (a database constraint), a run repeated the same day sends nothing new, and a digest covers
the changes since the previous one, or since alerts were switched on. Changes are read from the profiles'
change history (``companies.changes``), so unpublished and cosmetic edits never reach anyone.
"""

import datetime
import email.policy
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from companies.changes import CompanyChange, published_changes
from market.models import Edition

from .models import AlertDigest, Bookmark

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "bookmarks.alerts.unsubscribe"


def alert_set(*, bookmark: Bookmark, enabled: bool) -> Bookmark:
    """Switch alerts on or off for one bookmark; switching on again keeps the original start."""
    if bookmark.is_alert_enabled == enabled:
        return bookmark
    bookmark.is_alert_enabled = enabled
    bookmark.alert_enabled_at = timezone.now() if enabled else None
    bookmark.save(update_fields=["is_alert_enabled", "alert_enabled_at", "updated_at"])
    return bookmark


def alerts_unsubscribe(*, user) -> int:
    """Switch off every alert of ``user``; returns how many bookmarks had alerts on."""
    return Bookmark.objects.filter(user=user, is_alert_enabled=True).update(
        is_alert_enabled=False, alert_enabled_at=None, updated_at=timezone.now()
    )


def unsubscribe_token(user) -> str:
    """A signed token that lets whoever holds it (the user's inbox) switch off the user's alerts."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


# Long enough for an old digest to still unsubscribe (RFC 8058 asks for days, not years), short enough that a
# leaked link does not work for ever.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=120)


def user_from_unsubscribe_token(token: str):
    """The user a token was made for, or None when it is forged, damaged, older than 120 days or the user is gone."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class Digest:
    """What one user's email says: changes to their bookmarked companies and newly published editions."""

    user: object
    changes: list[CompanyChange] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)

    def __bool__(self):
        return bool(self.changes or self.editions)

    @property
    def subject(self):
        parts = []
        if self.editions:
            parts.append(f"the {self.editions[-1].name} edition is out")
        companies = sorted({change.company_name for change in self.changes})
        if len(companies) == 1:
            parts.append(f"{companies[0]} changed")
        elif companies:
            parts.append(f"{len(companies)} companies you follow changed")
        text = " and ".join(parts)
        return f"{settings.SITE_NAME}: {text[0].upper()}{text[1:]}"


def digests_due(*, now=None) -> list[Digest]:
    """The digests to send at ``now``: users with alerts on and no digest today, and what each would say.

    Runs a fixed number of queries, whatever the number of users and changes.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    bookmarks = list(
        Bookmark.objects.filter(is_alert_enabled=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__alert_digests__sent_on=today)
        .select_related("user")
        .order_by("user_id", "company_id")
    )
    if not bookmarks:
        return []
    user_ids = {bookmark.user_id for bookmark in bookmarks}
    last_sent = dict(
        AlertDigest.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )

    def since(bookmark):
        started = bookmark.alert_enabled_at or now
        last = last_sent.get(bookmark.user_id)
        return max(started, last) if last else started

    earliest = min(since(bookmark) for bookmark in bookmarks)
    changes = published_changes(company_ids={b.company_id for b in bookmarks}, since=earliest)
    editions = list(Edition.objects.filter(is_published=True, published_at__gt=earliest, published_at__lte=now))
    editions.sort(key=lambda edition: edition.published_at)

    digests = {}
    for bookmark in bookmarks:
        digest = digests.setdefault(bookmark.user_id, Digest(user=bookmark.user))
        start = since(bookmark)
        digest.changes.extend(c for c in changes if c.company_id == bookmark.company_id and start < c.changed_at <= now)
        for edition in editions:
            if edition.published_at > start and edition not in digest.editions:
                digest.editions.append(edition)
    for digest in digests.values():
        digest.changes.sort(key=lambda change: (change.company_name, change.changed_at))
        digest.editions.sort(key=lambda edition: edition.published_at)
    return [digest for digest in digests.values() if digest]


# Headers up to SMTP's line limit stay on one line: Python's default folds at 78 characters, and folding a long
# List-Unsubscribe address (which has no space to fold at) encodes it by RFC 2047, which mail clients do not read.
UNFOLDED = email.policy.default.clone(max_line_length=998)


class DigestEmail(EmailMultiAlternatives):
    def message(self, *, policy=UNFOLDED):
        return super().message(policy=policy)


def _message(digest: Digest) -> EmailMultiAlternatives:
    unsubscribe = absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(digest.user)]))
    context = {
        "digest": digest,
        "user": digest.user,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        "bookmarks_url": absolute_url(reverse("bookmarks:bookmark_list")),
        "changes_url": absolute_url(reverse("changes:change_list")),
        "unsubscribe_url": unsubscribe,
    }
    message = DigestEmail(
        subject=digest.subject,
        body=render_to_string("emails/alert_digest.txt", context),
        to=[digest.user.email],
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("emails/alert_digest.html", context), "text/html")
    return message


def alert_digests_send(*, now=None) -> int:
    """Send every digest due at ``now``; returns how many went out. Safe to run again, even concurrently.

    Each digest is recorded before its email is sent, in one transaction: a second run skips users with a
    digest today, and a failed send leaves no record, so the next run retries it.
    """
    now = now or timezone.now()
    sent = 0
    for digest in digests_due(now=now):
        try:
            with transaction.atomic():
                AlertDigest.objects.create(
                    user=digest.user,
                    sent_on=timezone.localdate(now),
                    sent_at=now,
                    change_count=len(digest.changes) + len(digest.editions),
                )
                _message(digest).send()
        except IntegrityError:
            continue  # another run sent this user's digest today
        except Exception:
            logger.exception("Sending the alert digest to user %s failed; the next run retries.", digest.user.pk)
            continue
        sent += 1
    return sent
