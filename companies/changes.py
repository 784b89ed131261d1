"""Published changes to company profiles, read from their change history (django-simple-history).

A change is the difference between two published states of a profile in the fields readers act on: pay,
outlook, roles and what the company wants. Edits to other fields (focus, position, provenance), edits made
while a profile is unpublished, and edits undone within moments produce no change. Saves a few seconds
apart (an admin save records the fields, then each roles update) count as one change.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from . import models
from .models import Company, Outlook

# Fields whose published change is news; every other field is cosmetic for readers.
MEANINGFUL_FIELDS = [
    "comp_min",
    "comp_max",
    "comp_open_ended",
    "comp_basis",
    "comp_note",
    "outlook",
    "outlook_note",
    "wants",
]
# Saves of one profile this close together are one change.
BURST = datetime.timedelta(seconds=60)
BASELINE_REASON = "Baseline: the profile as loaded"
NONE = "none"


@dataclass(frozen=True)
class FieldChange:
    """One field's move, worded for readers: ``label``: ``before`` → ``after``."""

    label: str
    before: str = ""
    after: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __str__(self):
        if self.added or self.removed:
            moves = [f"+ {name}" for name in self.added] + [f"− {name}" for name in self.removed]
            return f"{self.label}: {', '.join(moves)}"
        return f"{self.label} {self.before} → {self.after}"


@dataclass(frozen=True)
class CompanyChange:
    """A published change to one company profile at ``changed_at``; ``is_new`` when it first appeared."""

    company_id: int
    company_name: str
    company_slug: str
    changed_at: datetime.datetime
    fields: tuple[FieldChange, ...] = ()
    is_new: bool = False

    def get_absolute_url(self):
        return reverse("companies:company_detail", args=[self.company_slug])

    @property
    def summary(self):
        if self.is_new:
            return "added to the guide"
        return "; ".join(str(change) for change in self.fields)


def state_pay_text(state) -> str:
    """The pay range with its basis, as the guide writes it: "$200K-400K+ total comp"."""
    text = models.pay_text(
        state["comp_min"], state["comp_max"], open_ended=state["comp_open_ended"], basis=state["comp_basis"]
    )
    return text or NONE


def _diff(before, after) -> tuple[FieldChange, ...]:
    changes = []
    if state_pay_text(before) != state_pay_text(after):
        changes.append(FieldChange("pay range", state_pay_text(before), state_pay_text(after)))
    if before["comp_note"] != after["comp_note"]:
        changes.append(FieldChange("pay note", before["comp_note"] or NONE, after["comp_note"] or NONE))
    if before["outlook"] != after["outlook"]:
        labels = dict(Outlook.choices)
        changes.append(FieldChange("outlook", labels.get(before["outlook"], ""), labels.get(after["outlook"], "")))
    if before["outlook_note"] != after["outlook_note"]:
        changes.append(FieldChange("watch-list note", before["outlook_note"] or NONE, after["outlook_note"] or NONE))
    if before["roles"] != after["roles"]:
        changes.append(
            FieldChange(
                "roles",
                added=tuple(sorted(after["roles"] - before["roles"])),
                removed=tuple(sorted(before["roles"] - after["roles"])),
            )
        )
    if before["wants"] != after["wants"]:
        changes.append(FieldChange("what they want", before["wants"] or NONE, after["wants"] or NONE))
    return tuple(changes)


def _roles_history_model():
    return apps.get_model("companies", "HistoricalCompany_roles")


def _history_rows(*, company_ids=None, since=None):
    """History rows in order, with each row's role names (2 queries).

    With ``since``, only rows after it plus, per company, the last published row at or before it: the state
    readers saw then.
    """
    rows = Company.history.filter(history_type__in=["+", "~"])
    if company_ids is not None:
        rows = rows.filter(id__in=company_ids)
    if since is not None:
        seen = (
            Company.history.filter(id=OuterRef("id"), is_published=True, history_date__lte=since)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = rows.filter(Q(history_date__gt=since) | Q(history_id=Subquery(seen)))
    rows = rows.order_by("id", "history_date", "history_id").values(
        "history_id", "id", "history_date", "history_type", "history_change_reason", "is_published", *MEANINGFUL_FIELDS
    )
    roles = defaultdict(set)
    role_rows = _roles_history_model().objects.filter(history__in=rows.values("history_id"))
    for history_id, name in role_rows.values_list("history_id", "role__name"):
        if name is not None:
            roles[history_id].add(name)
    rows = list(rows)
    for row in rows:
        row["roles"] = frozenset(roles[row["history_id"]])
    return rows


def _bursts(records, since):
    """Split one company's records into groups of saves made moments apart."""
    burst = []
    for record in records:
        if burst and (
            record["history_date"] - burst[-1]["history_date"] > BURST
            or (since is not None and burst[-1]["history_date"] <= since)
        ):
            yield burst
            burst = []
        burst.append(record)
    if burst:
        yield burst


def _changes_of(records, since):
    """Published changes in one company's ordered history records, as (record, fields, is_new) tuples."""
    published = None
    seen_unpublished = False
    for burst in _bursts(records, since):
        end = burst[-1]
        if not end["is_published"]:
            seen_unpublished = True
            continue
        previous, published = published, end
        if since is not None and end["history_date"] <= since:
            continue
        if previous is not None:
            fields = _diff(previous, end)
            if fields:
                yield end, fields, False
            continue
        is_baseline = any(r["history_change_reason"] == BASELINE_REASON for r in burst)
        starts_history = seen_unpublished or any(r["history_type"] == "+" for r in burst)
        if starts_history and not is_baseline:
            yield end, (), True


def published_changes(*, company_ids=None, since=None, companies=None) -> list[CompanyChange]:
    """Published changes, newest first, to the companies with ``company_ids`` (all when None) after ``since``.

    Only companies published now are listed. Runs 3 queries whatever the number of changes (2 when the
    ``companies`` the changes belong to are given, keyed by id).
    """
    rows = _history_rows(company_ids=company_ids, since=since)
    found = []
    for company_id, records in itertools.groupby(rows, key=lambda row: row["id"]):
        found.extend((company_id, *change) for change in _changes_of(list(records), since))
    if companies is None:
        ids = {company_id for company_id, *_ in found}
        companies = Company.objects.published().filter(pk__in=ids).only("name", "slug").in_bulk() if ids else {}
    changes = [
        CompanyChange(
            company_id=company_id,
            company_name=companies[company_id].name,
            company_slug=companies[company_id].slug,
            changed_at=record["history_date"],
            fields=fields,
            is_new=is_new,
        )
        for company_id, record, fields, is_new in found
        if company_id in companies
    ]
    changes.sort(key=lambda change: change.changed_at, reverse=True)
    return changes


def edition_moment(edition) -> datetime.datetime:
    """When ``edition`` went public: its publishing time, or the end of its publication day."""
    if edition.published_at is not None:
        return edition.published_at
    return datetime.datetime.combine(edition.published_on, datetime.time.max, tzinfo=datetime.UTC)


MOVEMENT_LABELS = ("pay range", "outlook")


def movement_since(edition) -> list[CompanyChange]:
    """Companies whose published pay range or outlook differ now from when ``edition`` went public.

    One entry per company, comparing the state readers saw then with the state now (3 queries).
    """
    since = edition_moment(edition)
    rows = _history_rows(since=since)
    found = {}
    for company_id, records in itertools.groupby(rows, key=lambda row: row["id"]):
        records = list(records)
        then = records[0] if records[0]["history_date"] <= since else None
        published = [r for r in records if r["is_published"] and r["history_date"] > since]
        if then is None or not published:
            continue
        fields = tuple(f for f in _diff(then, published[-1]) if f.label in MOVEMENT_LABELS)
        if fields:
            found[company_id] = (published[-1]["history_date"], fields)
    companies = Company.objects.published().filter(pk__in=found).only("name", "slug").in_bulk() if found else {}
    changes = [
        CompanyChange(
            company_id=pk, company_name=c.name, company_slug=c.slug, changed_at=found[pk][0], fields=found[pk][1]
        )
        for pk, c in companies.items()
    ]
    changes.sort(key=lambda change: change.company_name)
    return changes


def company_changes(company: Company) -> list[CompanyChange]:
    """The published changes to one profile, newest first (2 queries)."""
    if not company.is_published:
        return []
    return [c for c in published_changes(company_ids=[company.pk], companies={company.pk: company}) if not c.is_new]


@transaction.atomic
def company_history_baseline() -> int:
    """Record the present state of every company without a change history (rows loaded from fixtures).

    Without it, the first edit after loading a fixture would have nothing to compare with. Returns the
    number of profiles recorded.
    """
    history = Company.history.model
    missing = list(Company.objects.exclude(Exists(history.objects.filter(id=OuterRef("pk")))))
    if not missing:
        return 0
    through = Company.roles.through.objects.filter(company__in=missing)
    links = defaultdict(list)
    for link in through:
        links[link.company_id].append(link)
    tracked = [field.attname for field in history.tracked_fields]
    records = history.objects.bulk_create(
        history(
            history_date=company.updated_at,
            history_type="+",
            history_change_reason=BASELINE_REASON,
            **{name: getattr(company, name) for name in tracked},
        )
        for company in missing
    )
    roles_history = _roles_history_model()
    roles_history.objects.bulk_create(
        roles_history(history=record, id=link.id, company_id=link.company_id, role_id=link.role_id)
        for company, record in zip(missing, records, strict=True)
        for link in links[company.pk]
    )
    return len(missing)
