"""The editors' dashboard on the admin index: figures needing review, drafts in progress, latest changes."""

import datetime

import pytest
from django.urls import reverse

from market.models import SalaryBenchmark
from market.services import edition_start_next
from tests.companies.test_changes import edit, settled_company
from tests.conftest import make_benchmark, make_company, make_edition, make_snapshot

pytestmark = pytest.mark.django_db


def dashboard(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_dashboard_says_so(client, editor):
    page = dashboard(client, editor)
    assert "Nothing needs review and no drafts are open." in page
    assert "No published changes yet." in page


def test_it_lists_what_needs_review_the_drafts_and_the_latest_changes(client, editor, django_assert_max_num_queries):
    q1 = make_edition(slug="q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31))
    make_benchmark(edition=q1)
    make_snapshot(edition=q1)
    make_company(name="Hidden AI", is_published=False)
    q2 = edition_start_next(name="Q2 2026", slug="q2", published_on=datetime.date(2026, 4, 30))
    company = settled_company(name="Acme AI", comp_min=200_000, comp_max=250_000)
    edit(company, comp_max=300_000)

    with django_assert_max_num_queries(40):
        page = dashboard(client, editor)

    assert "Q2 2026 (edition, due 30 Apr 2026)" in page
    assert reverse("admin:market_edition_change", args=[q2.pk]) in page
    assert "1 unpublished company" in page
    assert "Acme AI</a></th><td>pay range $200K-250K → $200K-300K" in page


def test_figures_of_the_current_edition_not_checked_since_the_one_before_need_review(client, editor):
    q1 = make_edition(slug="q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_current=False)
    q2 = make_edition(
        slug="q2", name="Q2 2026", published_on=datetime.date(2026, 4, 30), is_current=True,
        previous_published_on=q1.published_on,
    )  # fmt: skip
    make_benchmark(edition=q2, last_verified=datetime.date(2026, 1, 31))
    make_benchmark(edition=q2, level="senior", last_verified=datetime.date(2026, 4, 28))

    page = dashboard(client, editor)

    assert "To do for Q2 2026" in page
    assert "1 salary benchmark needs review" in page
    assert reverse("admin:market_salarybenchmark_changelist") + "?review=needed" in page
    assert SalaryBenchmark.objects.count() == 2


def test_a_job_board_whose_last_sync_failed_is_listed(client, editor):
    from django.utils import timezone

    from jobs.models import JobSource

    now = timezone.now()
    company = make_company(name="Boarded AI")
    JobSource.objects.create(company=company, provider="greenhouse", board="ok", last_run_at=now, last_success_at=now)
    JobSource.objects.create(company=company, provider="lever", board="broken", last_run_at=now)

    page = dashboard(client, editor)

    assert "1 job board</a></th><td>last sync did not succeed" in page
