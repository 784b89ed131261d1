"""Shared fixtures and ``make_<model>`` helpers that always build valid rows."""

import datetime
import itertools

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from accounts.editors import editors_group
from accounts.models import User
from advice.models import AdviceGroup, AdviceSection, Tip
from bookmarks.models import Bookmark
from companies.models import Category, Company, Role
from jobs.models import JobSource, Posting
from market.models import (
    ComputedSnapshot,
    Edition,
    MarketSnapshot,
    SalaryBenchmark,
    SalaryLevel,
    Specialization,
    Trend,
    TrendPoint,
)

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_edition(**overrides):
    n = _n()
    fields = {
        "slug": f"edition-{n}",
        "name": f"Edition {n}",
        "published_on": datetime.date(2026, 1, 31),
        "is_published": True,
        "is_current": not Edition.objects.filter(is_current=True).exists(),
        "summary": "The market is selective.",
        "equity_note": "Equity varies.",
    }
    fields.update(overrides)
    return Edition.objects.create(**fields)


def current_edition():
    return Edition.objects.filter(is_current=True).first() or make_edition()


def provenance(**overrides):
    today = timezone.localdate()
    fields = {"as_of": today, "source": "Test source", "last_verified": today}
    fields.update(overrides)
    if "edition" not in fields:
        fields["edition"] = current_edition()
    return fields


_PROV = {"edition", "as_of", "source", "source_url", "last_verified"}


def _create_sourced(model, fields):
    """Create a row of a ``Sourced`` model, filling provenance not given in ``fields``."""
    given = {k: fields.pop(k) for k in list(fields) if k in _PROV}
    return model.objects.create(**provenance(**given), **fields)


def make_category(**overrides):
    n = _n()
    fields = {"name": f"Category {n}", "slug": f"category-{n}", "position": n}
    fields.update(overrides)
    return Category.objects.create(**fields)


def make_role(**overrides):
    n = _n()
    fields = {"name": f"Role {n}", "slug": f"role-{n}"}
    fields.update(overrides)
    return Role.objects.create(**fields)


def make_company(*, roles=(), **overrides):
    n = _n()
    fields = {
        "name": f"Company {n}",
        "slug": f"company-{n}",
        "focus": "Applied AI",
        "wants": "Production experience",
        "comp_min": 150_000,
        "comp_max": 250_000,
        "is_published": True,
    }
    if "category" not in overrides:
        fields["category"] = Category.objects.first() or make_category()
    fields.update(overrides)
    company = _create_sourced(Company, fields)
    if roles:
        company.roles.set(roles)
    return company


def make_benchmark(**overrides):
    fields = {
        "level": SalaryLevel.JUNIOR,
        "base_min": 125_000,
        "base_max": 160_000,
        "total_min": 140_000,
        "total_max": 180_000,
    }
    fields.update(overrides)
    return _create_sourced(SalaryBenchmark, fields)


def make_snapshot(**overrides):
    fields = {
        "month": datetime.date(2026, 1, 1),
        "total_postings": 1969,
        "mom_change_pct": 8,
        "remote_eligible_pct": 34,
        "senior_plus_pct": 62,
    }
    fields.update(overrides)
    return _create_sourced(MarketSnapshot, fields)


def make_computed_snapshot(**overrides):
    """A count of postings as compute_snapshot stores it: 200 postings on 12 boards, figures 25%, 60% and +25%."""
    fields = {
        "month": datetime.date(2026, 2, 1),
        "min_sources": 10,
        "postings": 200,
        "sources": 12,
        "remote_postings": 50,
        "levelled_postings": 150,
        "levelled_sources": 12,
        "senior_postings": 90,
        "previous_postings": 160,
        "previous_sources": 12,
    }
    fields.update(overrides)
    return ComputedSnapshot.objects.create(**fields)


def make_trend(*, points=("A point",), **overrides):
    n = _n()
    fields = {"slug": f"trend-{n}", "title": f"Trend {n}", "intro": "Intro:", "position": n}
    fields.update(overrides)
    trend = _create_sourced(Trend, fields)
    for i, text in enumerate(points):
        TrendPoint.objects.create(trend=trend, text=text, position=i)
    return trend


def make_specialization(**overrides):
    n = _n()
    fields = {"name": f"Skill {n}", "description": "In demand", "position": n}
    fields.update(overrides)
    return _create_sourced(Specialization, fields)


def make_advice_section(*, tips=(("Tip", "Body"),), **overrides):
    n = _n()
    fields = {"title": f"Section {n}", "slug": f"section-{n}", "group": AdviceGroup.GETTING_HIRED, "position": n}
    fields.update(overrides)
    section = AdviceSection.objects.create(**fields)
    for i, (title, body) in enumerate(tips):
        Tip.objects.create(section=section, title=title, body=body, position=i)
    return section


def make_user(**overrides):
    n = _n()
    fields = {"username": f"user{n}", "email": f"user{n}@example.com"}
    password = overrides.pop("password", "a-long-test-password")
    fields.update(overrides)
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def make_editor(**overrides):
    user = make_user(is_staff=True, **overrides)
    user.groups.add(editors_group())
    return user


def make_bookmark(**overrides):
    fields = {}
    if "user" not in overrides:
        fields["user"] = make_user()
    if "company" not in overrides:
        fields["company"] = make_company()
    fields.update(overrides)
    return Bookmark.objects.create(**fields)


def make_source(**overrides):
    n = _n()
    fields = {"provider": "greenhouse", "board": f"board-{n}"}
    fields.update(overrides)
    if "company" not in fields:
        fields["company"] = make_company()
    return JobSource.objects.create(**fields)


def make_posting(**overrides):
    """An open posting as a sync would store it."""
    n = _n()
    now = timezone.now()
    fields = {
        "external_id": str(n),
        "title": f"Research Engineer {n}",
        "url": f"https://boards.example/jobs/{n}",
        "locations": ["San Francisco, CA"],
        "location_text": "San Francisco, CA",
        "posted_at": now - datetime.timedelta(days=n % 30),
        "first_seen": now,
        "last_seen": now,
        "digest": "test",
    }
    fields.update(overrides)
    if "source" not in fields:
        fields["source"] = make_source(**({"company": fields["company"]} if "company" in fields else {}))
    fields.setdefault("company", fields["source"].company)
    if "locations" in overrides and "location_text" not in overrides:
        fields["location_text"] = " · ".join(fields["locations"])
    return Posting.objects.create(**fields)


def visible_text(response):
    """The page's text as a reader sees it: tags, scripts and styles dropped, entities decoded, spaces collapsed."""
    import html
    import re

    body = response.content.decode()
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", body, flags=re.S | re.I)
    body = re.sub(r"</?(a|abbr|b|code|em|i|small|span|strong|time)\b[^>]*>", "", body, flags=re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches, so no page or throttle state leaks between tests."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def edition(db):
    return current_edition()


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def loaded_edition(db):
    """The published Q1 2026 edition, loaded from fixtures/."""
    call_command("load_edition", verbosity=0)
    return Edition.objects.get(slug="2026-q1")
