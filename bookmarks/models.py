"""A candidate's bookmarks: the companies they track, with a private note, a stage and email alerts."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from companies.models import Company
from jobs.models import Level, Posting


class BookmarkStage(models.TextChoices):
    RESEARCHING = "researching", "Researching"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    CLOSED = "closed", "Closed"


class BookmarkQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own bookmarks with their companies and categories loaded."""
        return self.filter(user=user).select_related("company__category", "company__edition")


class BookmarkManager(models.Manager.from_queryset(BookmarkQuerySet)):
    """Bookmarks in use. A removed one (``removed_at``) keeps its note and stage out of sight until saved again."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Bookmark(models.Model):
    """A company a user keeps track of, with a private note and a stage."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    # A company candidates track cannot be deleted (unpublishing it is the way out): their notes would go with it.
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="bookmarks")
    note = models.TextField(max_length=2000, blank=True)
    stage = models.CharField(max_length=12, choices=BookmarkStage.choices, default=BookmarkStage.RESEARCHING)
    is_alert_enabled = models.BooleanField(
        "email alerts",
        default=False,
        help_text=(
            "Email the user a daily digest when this profile changes, the company posts new roles or a new "
            "edition is published."
        ),
    )
    alert_enabled_at = models.DateTimeField(
        null=True, blank=True, help_text="When alerts were switched on; changes before it are not sent."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the user removed it; saving the company again restores it as it was."
    )

    objects = BookmarkManager()
    all_objects = BookmarkQuerySet.as_manager()

    class Meta:
        db_table = "companies_bookmark"  # created by the companies app, before bookmarks had an app of their own
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="one_bookmark_per_user_company"),
            models.CheckConstraint(condition=Q(stage__in=BookmarkStage.values), name="bookmark_stage_valid"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="bookmark_user_created")]

    def __str__(self):
        return f"{self.user} → {self.company}"


class AlertDigest(models.Model):
    """One email of changes to a user's bookmarked companies; the database allows one per user and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests")
    sent_on = models.DateField(help_text="The day the digest went out.")
    sent_at = models.DateTimeField(help_text="Changes up to this moment were in the digest.")
    change_count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "companies_alertdigest"
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_alert_digest_per_user_day")]

    def __str__(self):
        return f"Alert digest for {self.user} on {self.sent_on}"


class NewRoles(models.TextChoices):
    ALL = "all", "All new roles"
    LEVELS = "levels", "Only roles at the levels I choose"
    NONE = "none", "No new roles"


class AlertPreference(models.Model):
    """Which new roles at a user's bookmarked companies their digest lists; without one, all of them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference")
    new_roles = models.CharField(max_length=6, choices=NewRoles.choices, default=NewRoles.ALL)
    new_role_levels = models.JSONField(
        default=list,
        blank=True,
        help_text="The levels wanted when only some are; kept while all or none are chosen, to come back to.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(new_roles__in=NewRoles.values), name="alertpreference_new_roles_valid")
        ]

    def __str__(self):
        return f"Alert preference of {self.user}"

    def wants(self, level: str) -> bool:
        """Whether a new role at ``level`` (a ``jobs.models.Level`` value) goes in the user's digest."""
        if self.new_roles == NewRoles.LEVELS:
            return level in self.new_role_levels
        return self.new_roles == NewRoles.ALL

    @property
    def level_names(self) -> list[str]:
        return [label for value, label in Level.choices if value in self.new_role_levels]


class RoleAnnouncement(models.Model):
    """A new role a digest told a user about; the database allows one per user and posting, so never a second."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_announcements")
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="announcements")
    digest = models.ForeignKey(
        AlertDigest, on_delete=models.SET_NULL, null=True, blank=True, related_name="announcements"
    )
    announced_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "posting"], name="one_announcement_per_user_posting")]

    def __str__(self):
        return f"{self.posting} announced to {self.user}"
