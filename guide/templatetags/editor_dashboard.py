"""The editors' dashboard on the admin index: what needs review, drafts in progress, the latest published changes."""

from django import template
from django.db.models import F, Q
from django.urls import reverse

from companies.changes import published_changes
from companies.models import Company
from jobs.models import JobSource
from market.models import (
    ComputedSnapshot,
    Edition,
    MarketSnapshot,
    SalaryBenchmark,
    Specialization,
    Trend,
    needs_review_condition,
)

register = template.Library()

REVIEWED = [
    ("company profile", Company, Company.objects.filter(is_published=True)),
    ("salary benchmark", SalaryBenchmark, SalaryBenchmark.objects.all()),
    ("market snapshot", MarketSnapshot, MarketSnapshot.objects.all()),
    ("trend", Trend, Trend.objects.all()),
    ("specialization", Specialization, Specialization.objects.all()),
]


def _changelist(model, query=""):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query


@register.inclusion_tag("admin/editor_dashboard.html", takes_context=True)
def editor_dashboard(context, changes=5):
    """What an editor should look at first (about ten queries), each linked to where it is done; only what the
    signed-in editor may change is shown."""
    user = context["request"].user

    def may(model, action="change"):
        return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")

    current = Edition.objects.current()
    review = []
    if current is not None:
        for label, model, rows in REVIEWED:
            if may(model):
                count = rows.filter(needs_review_condition(), edition=current).count()
                if count:
                    review.append({"label": label, "count": count, "url": _changelist(model, "?review=needed")})
    drafts = []
    if may(Edition):
        for edition in Edition.objects.filter(is_published=False).order_by("-published_on"):
            drafts.append({"label": f"{edition.name} (edition, due {edition.published_on:%-d %b %Y})",
                           "url": reverse("admin:market_edition_change", args=[edition.pk])})  # fmt: skip
    if may(ComputedSnapshot, "view"):
        for computed in ComputedSnapshot.objects.unpublished()[:5]:
            drafts.append({"label": f"Market figures counted from postings, {computed.month:%B %Y}",
                           "url": reverse("admin:market_computedsnapshot_change", args=[computed.pk])})  # fmt: skip
    if may(Company):
        unpublished = Company.objects.filter(is_published=False).count()
        if unpublished:
            drafts.append({"label": f"{unpublished} unpublished compan{'y' if unpublished == 1 else 'ies'}",
                           "url": _changelist(Company, "?is_published__exact=0")})  # fmt: skip
    failing = JobSource.objects.enabled().filter(
        Q(last_success_at__isnull=True) | Q(last_success_at__lt=F("last_run_at")), last_run_at__isnull=False
    )
    return {
        "current": current,
        "review": review,
        "drafts": drafts,
        "changes": published_changes()[:changes],
        "failing_boards": failing.count() if may(JobSource, "view") else 0,
        "boards_url": _changelist(JobSource),
    }
