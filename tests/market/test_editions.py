"""The editions workflow: start a draft from the current edition, fill it, publish it in one step."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from market.models import Edition, MarketSnapshot, SalaryBenchmark, SalaryLevel, Specialization, Trend
from market.services import edition_next_defaults, edition_publish, edition_stale_texts, edition_start_next
from tests.conftest import (
    make_benchmark,
    make_edition,
    make_snapshot,
    make_specialization,
    make_trend,
)

pytestmark = pytest.mark.django_db

Q2 = {"name": "Q2 2026", "slug": "2026-q2", "published_on": datetime.date(2026, 4, 30)}


def make_full_edition(**overrides):
    edition = make_edition(**{"slug": "2026-q1", "name": "Q1 2026", **overrides})
    for level, base in zip(SalaryLevel.values, (125_000, 160_000, 200_000, 250_000), strict=True):
        make_benchmark(
            edition=edition, level=level, base_min=base, base_max=base + 40_000, total_min=base, total_max=base + 90_000
        )
    make_snapshot(edition=edition)
    trend = make_trend(edition=edition, slug="senior", title="Shift toward senior hires", points=("62% senior", "Few"))
    make_specialization(edition=edition, trend=trend, name="RAG specialists")
    make_specialization(edition=edition, name="Multi-modal")
    return edition


def test_start_next_copies_figures_into_a_draft():
    q1 = make_full_edition()
    q2 = edition_start_next(**Q2)
    assert (q2.name, q2.slug, q2.is_published, q2.is_current) == ("Q2 2026", "2026-q2", False, False)
    assert q2.summary == q1.summary
    copied = [(b.level, b.base_min, b.total_max) for b in SalaryBenchmark.objects.for_edition(q2)]
    assert copied == [(b.level, b.base_min, b.total_max) for b in SalaryBenchmark.objects.for_edition(q1)]
    assert len(copied) == 4
    snapshot = MarketSnapshot.objects.get(edition=q2)
    assert snapshot.month == datetime.date(2026, 4, 1)
    assert snapshot.total_postings == 1969
    trend = Trend.objects.get(edition=q2)
    assert [p.text for p in trend.points.all()] == ["62% senior", "Few"]
    assert [s.name for s in trend.specializations.all()] == ["RAG specialists"]
    assert Specialization.objects.get(edition=q2, trend=None).name == "Multi-modal"


def test_start_next_leaves_the_current_edition_untouched():
    q1 = make_full_edition()
    before = list(SalaryBenchmark.objects.filter(edition=q1).values())
    edition_start_next(**Q2)
    q1.refresh_from_db()
    assert q1.is_current and q1.is_published
    assert list(SalaryBenchmark.objects.filter(edition=q1).values()) == before
    assert Trend.objects.get(edition=q1).points.count() == 2


def test_start_next_must_come_after_the_current_edition():
    make_full_edition()
    with pytest.raises(ValidationError) as error:
        edition_start_next(name="Q4 2025", slug="2025-q4", published_on=datetime.date(2025, 10, 31))
    assert "must come out after Q1 2026" in str(error.value)
    assert Edition.objects.count() == 1


def test_start_next_refuses_a_slug_in_use():
    make_full_edition()
    with pytest.raises(ValidationError):
        edition_start_next(name="Again", slug="2026-q1", published_on=datetime.date(2026, 4, 30))
    assert Edition.objects.count() == 1


def test_start_next_needs_a_current_edition():
    with pytest.raises(ValidationError, match="no current edition"):
        edition_start_next(**Q2)


def test_next_defaults_are_the_next_quarter():
    q1 = make_edition(published_on=datetime.date(2026, 1, 31))
    assert edition_next_defaults(q1) == Q2
    q4 = make_edition(published_on=datetime.date(2025, 11, 30), is_current=False)
    assert edition_next_defaults(q4) == {
        "name": "Q1 2026",
        "slug": "2026-q1",
        "published_on": datetime.date(2026, 2, 28),
    }


def test_publish_makes_the_draft_current_and_keeps_the_previous_edition():
    q1 = make_full_edition()
    q2 = edition_publish(edition=edition_start_next(**Q2))
    q1.refresh_from_db()
    assert (q2.is_published, q2.is_current) == (True, True)
    assert q2.published_at is not None
    assert (q1.is_published, q1.is_current) == (True, False)
    assert Edition.objects.current() == q2
    assert q2.previous() == q1
    assert SalaryBenchmark.objects.filter(edition=q1).count() == 4


def test_publish_twice_changes_nothing():
    make_full_edition()
    q2 = edition_publish(edition=edition_start_next(**Q2))
    stamp = q2.published_at
    assert edition_publish(edition=q2).published_at == stamp
    assert Edition.objects.filter(is_current=True).count() == 1


def test_publish_refuses_an_edition_without_figures():
    q1 = make_full_edition()
    empty = make_edition(slug="empty", name="Empty", is_published=False, is_current=False)
    with pytest.raises(ValidationError) as error:
        edition_publish(edition=empty)
    assert "Empty has no salary benchmark for Junior (0-2 yrs), Mid (2-5 yrs)" in str(error.value)
    assert "has no market snapshot" in str(error.value)
    empty.refresh_from_db()
    assert not empty.is_published
    assert Edition.objects.current() == q1


def test_publish_is_all_or_nothing(monkeypatch):
    q1 = make_full_edition()
    q2 = edition_start_next(**Q2)

    save = Edition.save

    def fail_on_the_new_edition(self, *args, **kwargs):
        # The old current edition steps down first; the new one then fails to save.
        if self.pk == q2.pk:
            raise RuntimeError("database went away")
        save(self, *args, **kwargs)

    monkeypatch.setattr(Edition, "save", fail_on_the_new_edition)
    with pytest.raises(RuntimeError):
        edition_publish(edition=q2)
    monkeypatch.undo()
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert q1.is_current and not q2.is_published and not q2.is_current


# The admin: an editor starts, fills and publishes a second edition.


def _benchmark_form(benchmark, **changes):
    data = {
        "level": benchmark.level,
        "base_min": benchmark.base_min,
        "base_max": benchmark.base_max,
        "total_min": benchmark.total_min,
        "total_max": benchmark.total_max,
        "edition": benchmark.edition_id,
        "as_of": benchmark.as_of.isoformat(),
        "source": benchmark.source,
        "source_url": benchmark.source_url,
        "last_verified": benchmark.last_verified.isoformat(),
        "version": benchmark.version,
    }
    data.update(changes)
    return data


def test_editor_starts_fills_and_publishes_a_second_edition_in_the_admin(client, editor):
    q1 = make_full_edition()
    client.force_login(editor)

    changelist = client.get(reverse("admin:market_edition_changelist"))
    assert "Start the next edition" in changelist.content.decode()
    form = client.get(reverse("admin:market_edition_start_next"))
    assert form.context["form"].initial == Q2
    assert "stays published" in form.content.decode()

    response = client.post(
        reverse("admin:market_edition_start_next"), {"name": "Q2 2026", "slug": "2026-q2", "published_on": "2026-04-30"}
    )
    q2 = Edition.objects.get(slug="2026-q2")
    assert response.status_code == 302
    assert response.url == reverse("admin:market_edition_change", args=[q2.pk])
    page = client.get(response.url).content.decode()
    assert "Started Q2 2026 as a draft with copies of Q1 2026’s figures (4 salary benchmarks" in page.replace(
        "&#x27;", "’"
    ).replace("'", "’")
    assert reverse("admin:market_edition_publish", args=[q2.pk]) in page

    senior = SalaryBenchmark.objects.get(edition=q2, level=SalaryLevel.SENIOR)
    response = client.post(
        reverse("admin:market_salarybenchmark_change", args=[senior.pk]),
        _benchmark_form(senior, base_min=210_000, base_max=270_000, last_verified="2026-04-28"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    confirm = client.get(reverse("admin:market_edition_publish", args=[q2.pk])).content.decode()
    assert "Q1 2026</strong> stays published" in confirm
    assert "/salaries/?edition=2026-q1" in confirm
    response = client.post(reverse("admin:market_edition_publish", args=[q2.pk]), follow=True)
    assert "Q2 2026 is published and is now the current edition." in response.content.decode()

    q1.refresh_from_db()
    q2.refresh_from_db()
    assert q2.is_current and q1.is_published and not q1.is_current
    assert SalaryBenchmark.objects.get(edition=q2, level=SalaryLevel.SENIOR).base_min == 210_000
    assert SalaryBenchmark.objects.get(edition=q1, level=SalaryLevel.SENIOR).base_min == 200_000


def test_admin_start_next_shows_errors_in_words(client, editor):
    make_full_edition()
    client.force_login(editor)
    response = client.post(
        reverse("admin:market_edition_start_next"), {"name": "Old", "slug": "2026-q1", "published_on": "2025-01-01"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "An edition already uses this slug" in page
    response = client.post(
        reverse("admin:market_edition_start_next"), {"name": "Old", "slug": "old", "published_on": "2025-01-01"}
    )
    assert "must come out after Q1 2026" in response.content.decode()
    assert Edition.objects.count() == 1


def test_admin_publish_action_reports_missing_figures(client, editor):
    q1 = make_full_edition()
    draft = make_edition(slug="draft", name="Draft", is_published=False, is_current=False)
    client.force_login(editor)
    response = client.post(
        reverse("admin:market_edition_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Not published: Draft has no salary benchmark" in response.content.decode()
    assert Edition.objects.current() == q1


def test_admin_publish_action_publishes_one_edition(client, editor):
    make_full_edition()
    q2 = edition_start_next(**Q2)
    client.force_login(editor)
    response = client.post(
        reverse("admin:market_edition_changelist"),
        {"action": "publish_selected", "_selected_action": [q2.pk]},
        follow=True,
    )
    assert "Q2 2026 is published and is now the current edition." in response.content.decode()
    assert Edition.objects.current() == q2


def test_current_edition_cannot_be_switched_by_a_tick_box(client, editor):
    q1 = make_full_edition()
    client.force_login(editor)
    form = client.get(reverse("admin:market_edition_change", args=[q1.pk]))
    assert "is_current" not in form.context["adminform"].form.fields
    assert "is_published" not in form.context["adminform"].form.fields


def test_only_staff_reach_the_edition_workflow(client, user):
    q1 = make_full_edition()
    client.force_login(user)
    for url in (
        reverse("admin:market_edition_start_next"),
        reverse("admin:market_edition_publish", args=[q1.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# Every public page shows the movement once a second edition is published.


def _publish_q2_with_changes():
    """Q1 2026 loaded; Cohere's range and Perplexity's outlook change; Q2 is started, edited and published."""
    from companies.models import Company, Outlook

    cohere = Company.objects.get(slug="cohere")
    cohere.comp_min, cohere.comp_max = 180_000, 290_000
    cohere.save()
    perplexity = Company.objects.get(slug="perplexity")
    perplexity.outlook = Outlook.STABLE
    perplexity.save()
    q2 = edition_start_next(**Q2)
    senior = SalaryBenchmark.objects.get(edition=q2, level=SalaryLevel.SENIOR)
    senior.base_min, senior.base_max, senior.total_max = 210_000, 270_000, 360_000
    senior.save()
    snapshot = MarketSnapshot.objects.get(edition=q2)
    snapshot.total_postings, snapshot.remote_eligible_pct, snapshot.senior_plus_pct = 2150, 31, 65
    snapshot.save()
    return edition_publish(edition=q2)


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_public_pages_show_the_movement_after_a_second_edition(client, loaded_edition):
    _publish_q2_with_changes()

    home = page_text(client, "/")
    assert "What moved since the Q1 2026 edition" in home
    assert "Active AI engineering postings 1,969 → 2,150 +181 (+9%)" in home
    assert "Remote-eligible roles 34% → 31% −3 points" in home
    assert "Senior (5-8 yrs) Base $200K-260K → $210K-270K ; total $250K-340K → $250K-360K" in home
    assert "Cohere Pay range $170K-280K → $180K-290K" in home
    assert "Perplexity Outlook Growing team → Stable employer" in home

    salaries = page_text(client, reverse("market:salaries"))
    assert "Change since Q1 2026" in salaries
    assert "+$10K" in salaries

    market = page_text(client, reverse("market:market"))
    assert "Change since January 2026" in market
    assert "2,150" in market

    changes = page_text(client, reverse("changes:change_list"))
    assert "Since the Q1 2026 edition" in changes
    assert "Cohere Pay range: $170K-280K → $180K-290K" in changes

    profile = page_text(client, "/companies/cohere/")
    assert "Changes to this profile" in profile
    assert "Pay range: $170K-280K → $180K-290K" in profile


def test_the_previous_edition_stays_reachable(client, loaded_edition):
    _publish_q2_with_changes()
    q1 = page_text(client, reverse("market:salaries") + "?edition=2026-q1")
    assert "$200K-260K" in q1
    assert "$210K-270K" not in q1
    q2 = page_text(client, reverse("market:salaries"))
    assert "$210K-270K" in q2


def test_with_one_edition_there_is_no_movement_section(client, loaded_edition):
    assert "What moved since" not in page_text(client, "/")


@pytest.mark.parametrize("rows", [3, 30])
def test_movement_runs_a_fixed_number_of_queries(django_assert_max_num_queries, rows):
    from companies.models import Company
    from guide.movement import edition_movement
    from tests.conftest import make_company

    make_full_edition()
    for n in range(rows):
        make_company(name=f"Company {n}")
    Company.history.update(history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    q2 = edition_publish(edition=edition_start_next(**Q2))
    for company in Company.objects.all():
        company.comp_max += 10_000
        company.save()
    with django_assert_max_num_queries(6):
        movement = edition_movement(q2)
    assert len(movement.companies) == rows
    assert [row.level for row in movement.levels] == [label for _, label in SalaryLevel.choices]


def test_a_started_and_published_edition_records_the_day_the_one_before_came_out():
    q1 = make_full_edition()
    assert q1.previous_published_on is None
    q2 = edition_start_next(**Q2)
    assert q2.previous_published_on == datetime.date(2026, 1, 31)
    Edition.objects.filter(pk=q2.pk).update(previous_published_on=None)  # e.g. a draft added by hand
    edition_publish(edition=q2)
    assert Edition.objects.get(pk=q2.pk).previous_published_on == datetime.date(2026, 1, 31)


def test_the_publish_page_warns_of_figures_not_checked_for_the_new_edition_as_readers_will_see_them(client, editor):
    q1 = make_full_edition()
    for model in (SalaryBenchmark, MarketSnapshot, Trend, Specialization):
        model.objects.filter(edition=q1).update(last_verified=datetime.date(2026, 1, 31))
    q2 = edition_start_next(**Q2)
    SalaryBenchmark.objects.filter(edition=q2, level=SalaryLevel.SENIOR).update(
        last_verified=datetime.date(2026, 4, 28)
    )
    client.force_login(editor)
    page = client.get(reverse("admin:market_edition_publish", args=[q2.pk])).content.decode()
    assert (
        "Not checked for this edition yet: 3 salary benchmarks, 1 market snapshot, 1 trend, 2 specializations carry"
        in page
    )
    assert "3 salary benchmarks, 1 market snapshot, 1 trend, 2 specializations" in page
    edition_publish(edition=q2)
    marked = {
        model: sum(row.needs_review for row in model.objects.filter(edition=q2).select_related("edition"))
        for model in (SalaryBenchmark, MarketSnapshot, Trend, Specialization)
    }
    assert marked == {SalaryBenchmark: 3, MarketSnapshot: 1, Trend: 1, Specialization: 2}


def test_the_publish_page_lists_copied_texts_and_dates_that_still_name_the_edition_before(client, editor):
    q1 = make_full_edition(summary="The AI hiring market in Q1 2026 is selective.", market_note="Figures for 2026.")
    MarketSnapshot.objects.filter(edition=q1).update(as_of=datetime.date(2026, 1, 31))
    SalaryBenchmark.objects.filter(edition=q1).update(as_of=datetime.date(2026, 1, 31))
    Trend.objects.filter(edition=q1).update(intro="As of January 31, 2026, senior roles lead.")
    q2 = edition_start_next(**Q2)
    assert {(item["field"], item["found"]) for item in edition_stale_texts(q2)} >= {
        ("summary", "Q1 2026"),
        ("intro", "January 31, 2026"),
        ("as of", "31 Jan 2026"),
    }
    assert not [item for item in edition_stale_texts(q2) if item["field"] == "market note"]  # "2026" alone is fine
    client.force_login(editor)
    url = reverse("admin:market_edition_publish", args=[q2.pk])

    page = client.get(url).content.decode()

    assert "Copied from the edition before and still naming it" in page
    assert "Junior (0-2 yrs) · Q2 2026</a>, as of" in page  # each row named as the admin names it
    assert "“The AI hiring market in Q1 2026 is selective.” names <strong>Q1 2026</strong>" in page
    assert reverse("admin:market_edition_change", args=[q2.pk]) in page

    q2.summary = "The AI hiring market in Q2 2026 is selective."
    q2.save()
    assert "“The AI hiring market in Q1 2026" not in client.get(url).content.decode()
