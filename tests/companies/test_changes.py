"""The public change log: published changes to company profiles, drawn from their change history."""

import datetime
import re

import pytest
from django.db.models import F
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from companies.changes import company_changes, company_history_baseline, published_changes
from companies.models import Company, Outlook, Role
from market.models import Edition
from tests.conftest import make_company, make_edition, make_role

pytestmark = pytest.mark.django_db


def text(response):
    """The page's text as a reader sees it: tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def backdate(company, days=1):
    """Move the company's change history ``days`` into the past, so the next save is a separate change."""
    Company.history.filter(id=company.pk).update(history_date=F("history_date") - datetime.timedelta(days=days))


def settled_company(**fields):
    company = make_company(**fields)
    backdate(company, days=30)
    return company


def edit(company, **fields):
    company.refresh_from_db()
    for name, value in fields.items():
        setattr(company, name, value)
    company.save()
    return company


def test_pay_range_change_is_worded_like_the_guide():
    company = settled_company(name="Cohere", comp_min=170_000, comp_max=280_000)
    edit(company, comp_min=180_000, comp_max=290_000)
    [change] = company_changes(company)
    assert change.summary == "pay range $170K-280K → $180K-290K"
    assert change.company_name == "Cohere"


def test_outlook_roles_and_wants_are_described():
    applied = make_role(name="Applied Scientist")
    research = make_role(name="Research Engineer")
    company = settled_company(roles=[research], outlook=Outlook.GROWING, wants="Production experience")
    edit(company, outlook=Outlook.STABLE, wants="Shipping record")
    company.roles.add(applied)
    company.roles.remove(research)
    [change] = company_changes(company)
    assert [str(field) for field in change.fields] == [
        "outlook Growing team → Stable employer",
        "roles: + Applied Scientist, − Research Engineer",
        "what they want Production experience → Shipping record",
    ]


def test_open_ended_and_basis_and_note_are_part_of_pay():
    company = settled_company(comp_min=200_000, comp_max=400_000, comp_note="")
    edit(company, comp_open_ended=True, comp_basis="total", comp_note="Top of market")
    [change] = company_changes(company)
    assert change.summary == "pay range $200K-400K → $200K-400K+ total comp; pay note none → Top of market"


def test_cosmetic_edits_are_not_changes():
    company = settled_company()
    edit(company, focus="Something else", position=7, source="Fixed typo", name="Renamed")
    assert company_changes(company) == []


def test_edits_while_unpublished_are_not_changes_until_published():
    company = settled_company(comp_min=150_000, comp_max=250_000)
    edit(company, is_published=False)
    edit(company, comp_min=160_000)
    assert company_changes(company) == []
    backdate(company, days=1)
    edit(company, is_published=True)
    [change] = company_changes(company)
    assert change.summary == "pay range $150K-250K → $160K-250K"


def test_a_change_undone_within_moments_is_no_change():
    company = settled_company(comp_min=150_000, comp_max=250_000)
    edit(company, comp_min=1_500_000, comp_max=2_500_000)
    edit(company, comp_min=150_000, comp_max=250_000)
    assert company_changes(company) == []


def test_separate_changes_are_listed_newest_first():
    company = settled_company(comp_min=150_000, comp_max=250_000)
    edit(company, comp_max=260_000)
    backdate(company, days=2)
    edit(company, comp_max=270_000)
    assert [c.summary for c in company_changes(company)] == [
        "pay range $150K-260K → $150K-270K",
        "pay range $150K-250K → $150K-260K",
    ]


def test_since_limits_to_later_changes_compared_with_the_state_then():
    company = settled_company(comp_min=150_000, comp_max=250_000)
    edit(company, comp_max=260_000)
    backdate(company, days=2)
    since = timezone.now() - datetime.timedelta(days=1)
    edit(company, comp_max=270_000)
    [change] = published_changes(company_ids=[company.pk], since=since)
    assert change.summary == "pay range $150K-260K → $150K-270K"


def test_new_profiles_show_as_added_site_wide_but_not_on_their_profile():
    company = make_company(name="Newco")
    [change] = published_changes()
    assert (change.company_name, change.summary, change.is_new) == ("Newco", "added to the guide", True)
    assert company_changes(company) == []


def test_unpublished_companies_are_left_out():
    company = settled_company()
    edit(company, comp_max=300_000)
    edit(company, is_published=False)
    assert published_changes() == []


def test_baseline_lets_the_first_edit_after_loading_show(loaded_edition):
    cohere = Company.objects.get(slug="cohere")
    assert not Company.objects.exclude(pk__in=Company.history.values("id")).exists()  # load_edition recorded all
    assert company_history_baseline() == 0
    assert published_changes() == []
    edit(cohere, comp_min=180_000, comp_max=290_000)
    cohere.roles.add(Role.objects.get(name="Applied Scientist"))
    [change] = company_changes(cohere)
    assert change.summary == "pay range $170K-280K → $180K-290K; roles: + Applied Scientist"


def test_baseline_records_companies_without_history():
    company = settled_company(roles=[make_role(name="AI Engineer")])
    Company.history.filter(id=company.pk).delete()
    Company.objects.filter(pk=company.pk).update(updated_at=timezone.now() - datetime.timedelta(days=30))
    assert company_history_baseline() == 1
    edit(company, comp_min=100_000)
    company.roles.clear()
    [change] = company_changes(company)
    assert change.summary == "pay range $150K-250K → $100K-250K; roles: − AI Engineer"


# The pages


def test_changes_page_lists_recent_changes(client):
    cohere = settled_company(name="Cohere", slug="cohere", comp_min=170_000, comp_max=280_000)
    edit(cohere, comp_min=180_000, comp_max=290_000)
    response = client.get(reverse("changes:change_list"))
    assert response.status_code == 200
    assert "Cohere Pay range: $170K-280K → $180K-290K" in text(response)
    assert f'href="{cohere.get_absolute_url()}"' in response.content.decode()


def test_changes_page_without_changes_says_so(client):
    response = client.get(reverse("changes:change_list"))
    assert "No published changes yet" in response.content.decode()


def test_changes_page_paginates_and_survives_bad_pages(client):
    for n in range(30):
        company = settled_company()
        edit(company, comp_max=260_000 + n * 1000)
    first = client.get(reverse("changes:change_list"))
    assert first.context["page_obj"].paginator.count == 60  # 30 changes, 30 profiles added
    assert client.get(reverse("changes:change_list"), {"page": 2}).status_code == 200
    assert client.get(reverse("changes:change_list"), {"page": "x"}).status_code == 200
    assert client.get(reverse("changes:change_list"), {"page": 999}).status_code == 200


def _changes(n):
    for _ in range(n):
        company = settled_company(roles=[make_role()])
        edit(company, comp_max=300_000, outlook=Outlook.GROWING)
        company.roles.add(make_role())


@pytest.mark.parametrize("rows", [3, 30])
def test_changes_page_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, rows):
    make_edition(name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    make_edition(name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_current=True)
    _changes(rows)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("changes:change_list"))
    assert response.status_code == 200
    assert text(response).count("Roles: +") == min(rows, 20)


def test_changes_page_shows_movement_since_the_previous_edition(client):
    q1 = make_edition(name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_current=False)
    Edition.objects.filter(pk=q1.pk).update(published_at=timezone.now() - datetime.timedelta(days=10))
    make_edition(name="Q2 2026", published_on=datetime.date(2026, 4, 30), is_current=True)
    cohere = settled_company(name="Cohere", comp_min=170_000, comp_max=280_000, outlook=Outlook.GROWING)
    edit(cohere, comp_max=300_000)
    backdate(cohere, days=1)
    edit(cohere, outlook=Outlook.STABLE, wants="Something new")
    quiet = settled_company(name="Quietco")
    edit(quiet, wants="Only the wants changed")
    page = text(client.get(reverse("changes:change_list")))
    assert "Since the Q1 2026 edition" in page
    assert "1 company changed pay range or outlook between Q1 2026 and now (Q2 2026 edition)" in page
    assert "Cohere Pay range: $170K-280K → $170K-300K Outlook: Growing team → Stable employer" in page


def test_changes_feed_carries_changes(client):
    cohere = settled_company(name="Cohere", comp_min=170_000, comp_max=280_000)
    edit(cohere, comp_min=180_000, comp_max=290_000)
    response = client.get(reverse("changes:change_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Cohere: pay range $170K-280K → $180K-290K" in body
    assert cohere.get_absolute_url() in body


@pytest.mark.parametrize("rows", [3, 30])
def test_changes_feed_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, rows):
    _changes(rows)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("changes:change_feed")).status_code == 200


def test_change_log_tag_lists_a_profiles_changes(django_assert_max_num_queries):
    cohere = settled_company(name="Cohere", comp_min=170_000, comp_max=280_000)
    edit(cohere, comp_min=180_000, comp_max=290_000)
    template = Template("{% load change_log %}{% change_log company %}")
    with django_assert_max_num_queries(2):
        html = template.render(Context({"company": cohere}))
    page = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Changes to this profile" in page
    assert "Pay range: $170K-280K → $180K-290K" in page
    assert reverse("changes:change_list") in html


def test_change_log_tag_without_changes_says_so():
    company = settled_company(name="Stableco")
    html = Template("{% load change_log %}{% change_log company %}").render(Context({"company": company}))
    assert "No published changes since Stableco joined the guide." in html


def test_profile_page_lists_its_changes(client):
    cohere = settled_company(name="Cohere", slug="cohere", comp_min=170_000, comp_max=280_000)
    edit(cohere, comp_min=180_000, comp_max=290_000)
    page = text(client.get(cohere.get_absolute_url()))
    assert "Changes to this profile" in page
    assert "Pay range: $170K-280K → $180K-290K" in page


def test_site_feed_says_what_changed_in_a_profile(client):
    cohere = settled_company(name="Cohere", comp_min=170_000, comp_max=280_000)
    edit(cohere, comp_min=180_000, comp_max=290_000)
    body = client.get("/feed/").content.decode()
    assert "Cohere: profile updated" in body
    assert "pay range $170K-280K → $180K-290K" in body
