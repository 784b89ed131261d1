"""Alerts: a daily email per user about their bookmarked companies' published changes and new roles, and new editions.

``python manage.py send_alerts`` (cron, e.g. hourly or daily) calls ``alert_digests_send``. A user gets at most
one digest a day (a database constraint), a run repeated the same day sends nothing new, and a digest covers
the changes since the previous one, or since alerts were switched on. Changes are read from the profiles'
change history (``companies.changes``), so unpublished and cosmetic edits never reach anyone. New roles are the
companies' open postings first seen since then, at the levels the user chose (``AlertPreference``); each one a
digest lists is recorded (``RoleAnnouncement``, one per user and posting), so no role is announced twice, even
after it closed and reopened.
"""

import datetime
import email.policy
import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

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
from companies.models import Company
from jobs.models import Level, Posting
from market.models import Edition

from .models import AlertDigest, AlertPreference, Bookmark, NewRoles, RoleAnnouncement

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


def alert_preference_set(*, user, new_roles: str, levels: list[str]) -> AlertPreference:
    """Choose which new roles ``user``'s digest lists; the levels are kept even while all or none are wanted."""
    if new_roles not in NewRoles.values:
        raise ValueError(f"Unknown choice of new roles: {new_roles!r}")
    levels = [value for value in Level.values if value in set(levels)]
    if new_roles == NewRoles.LEVELS and not levels:
        raise ValueError("Choosing only some levels needs at least one level.")
    preference, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"new_roles": new_roles, "new_role_levels": levels}
    )
    return preference


def preference_of(user) -> AlertPreference:
    """The user's choice of new roles, or the default (all of them) when they never made one (no query when the
    user was loaded with ``select_related("alert_preference")``)."""
    try:
        return user.alert_preference
    except AlertPreference.DoesNotExist:
        return AlertPreference(user=user)


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


# How many new roles an email lists per company; the rest are a count and a link to the company's open roles.
NEW_ROLES_PER_COMPANY = 10
# A digest also looks at roles first seen this long before the previous one (never before alerts were switched
# on): a sync still writing when that digest went out stores its new roles with an earlier first sighting. The
# announcements, not this window, keep a role from being told twice.
NEW_ROLES_OVERLAP = datetime.timedelta(days=1)


@dataclass
class CompanyRoles:
    """A bookmarked company's new roles in one digest, newest first: all are announced, the first few listed."""

    company: Company
    postings: list[Posting] = field(default_factory=list)

    @property
    def listed(self) -> list[Posting]:
        return self.postings[:NEW_ROLES_PER_COMPANY]

    @property
    def more(self) -> int:
        return max(0, len(self.postings) - NEW_ROLES_PER_COMPANY)

    @property
    def more_url(self) -> str:
        return absolute_url(f"{reverse('jobs:posting_list')}?{urlencode({'company': self.company.slug})}")


@dataclass
class Digest:
    """What one user's email says: changes to and new roles at their bookmarked companies, and new editions."""

    user: object
    changes: list[CompanyChange] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    roles: list[CompanyRoles] = field(default_factory=list)

    def __bool__(self):
        return bool(self.changes or self.editions or self.roles)

    @property
    def new_postings(self) -> list[Posting]:
        """Every role the digest announces, listed or counted."""
        return [posting for group in self.roles for posting in group.postings]

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
        if self.roles:
            count = len(self.new_postings)
            roles = f"{count} new role{'' if count == 1 else 's'}"
            if len(self.roles) == 1:
                parts.append(f"{roles} at {self.roles[0].company.name}")
            else:
                parts.append(f"{roles} at {len(self.roles)} companies you follow")
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{settings.SITE_NAME}: {text[0].upper()}{text[1:]}"


def postings_new_since(*, company_ids, since, now):
    """Open postings of these published companies first seen after ``since`` and by ``now``, by company and newest
    first, with what a digest shows (1 query)."""
    return (
        Posting.objects.filter(
            company_id__in=company_ids,
            company__is_published=True,
            closed_at__isnull=True,
            first_seen__gt=since,
            first_seen__lte=now,
        )
        .select_related("company")
        .only(
            "company",
            "company__name",
            "company__slug",
            "title",
            "level",
            "location_text",
            "pay_min",
            "pay_max",
            "pay_currency",
            "pay_period",
            "first_seen",
        )
        .order_by("company_id", "-first_seen", "-id")
    )


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
        .select_related("user__alert_preference")
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

    def roles_since(bookmark):
        return max(bookmark.alert_enabled_at or now, since(bookmark) - NEW_ROLES_OVERLAP)

    earliest = min(since(bookmark) for bookmark in bookmarks)
    company_ids = {b.company_id for b in bookmarks}
    changes = published_changes(company_ids=company_ids, since=earliest)
    editions = list(Edition.objects.filter(is_published=True, published_at__gt=earliest, published_at__lte=now))
    editions.sort(key=lambda edition: edition.published_at)

    role_bookmarks = [b for b in bookmarks if preference_of(b.user).new_roles != NewRoles.NONE]
    postings_by_company, announced = {}, set()
    if role_bookmarks:
        postings = postings_new_since(
            company_ids={b.company_id for b in role_bookmarks},
            since=min(roles_since(b) for b in role_bookmarks),
            now=now,
        )
        for posting in postings:
            postings_by_company.setdefault(posting.company_id, []).append(posting)
        announced = set(
            RoleAnnouncement.objects.filter(
                user_id__in={b.user_id for b in role_bookmarks}, posting__in=postings.values("pk")
            ).values_list("user_id", "posting_id")
        )

    digests = {}
    for bookmark in bookmarks:
        digest = digests.setdefault(bookmark.user_id, Digest(user=bookmark.user))
        start = since(bookmark)
        digest.changes.extend(c for c in changes if c.company_id == bookmark.company_id and start < c.changed_at <= now)
        for edition in editions:
            if edition.published_at > start and edition not in digest.editions:
                digest.editions.append(edition)
        preference = preference_of(bookmark.user)
        roles_start = roles_since(bookmark)
        new = [
            posting
            for posting in postings_by_company.get(bookmark.company_id, ())
            if posting.first_seen > roles_start
            and (bookmark.user_id, posting.pk) not in announced
            and preference.wants(posting.level)
        ]
        if new:
            digest.roles.append(CompanyRoles(company=new[0].company, postings=new))
    for digest in digests.values():
        digest.changes.sort(key=lambda change: (change.company_name, change.changed_at))
        digest.editions.sort(key=lambda edition: edition.published_at)
        digest.roles.sort(key=lambda group: group.company.name)
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
        "settings_url": absolute_url(reverse("alerts:alert_settings")),
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

    Each digest and the roles it announces are recorded before its email is sent, in one transaction: a second
    run skips users with a digest today, a role already announced to the user stops the digest (the database
    allows one announcement per user and posting), and a failed send leaves no record, so the next run retries it.
    """
    now = now or timezone.now()
    sent = 0
    for digest in digests_due(now=now):
        try:
            with transaction.atomic():
                record = AlertDigest.objects.create(
                    user=digest.user,
                    sent_on=timezone.localdate(now),
                    sent_at=now,
                    change_count=len(digest.changes) + len(digest.editions),
                )
                RoleAnnouncement.objects.bulk_create(
                    RoleAnnouncement(user=digest.user, posting=posting, digest=record, announced_at=now)
                    for posting in digest.new_postings
                )
                _message(digest).send()
        except IntegrityError:
            continue  # another run sent this user's digest today, or announced one of its roles meanwhile
        except Exception:
            logger.exception("Sending the alert digest to user %s failed; the next run retries.", digest.user.pk)
            continue
        sent += 1
    return sent
