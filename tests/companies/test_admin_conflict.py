"""Two editors saving the same row: the second is told, keeps their input, and nothing is silently overwritten."""

import datetime

import pytest
from django.urls import reverse

from companies.models import Company
from core.admin_actions import set_published
from market.models import SalaryBenchmark
from tests.conftest import make_benchmark, make_company, make_editor, make_role

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this company while you were editing"


def form_data(response):
    """The POST body a browser would send for the admin form in ``response``, as rendered."""
    data = {"_save": "Save"}
    for field in response.context["adminform"].form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = "" if value is None else str(value)
    return data


def open_change_form(client, obj, *, checked=False):
    """The change form's URL and its data as a browser would post it; ``checked`` ticks "Checked today", which a
    change to a figure needs (tests/market/test_admin_checked.py)."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response)
    if checked:
        data["checked_today"] = "on"
    return url, data


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    alice, bob = make_editor(username="alice"), make_editor(username="bob")
    first, second = client, Client()
    first.force_login(alice)
    second.force_login(bob)
    return first, second


def test_change_form_carries_the_version_in_a_hidden_field(client, editor):
    company = make_company()
    client.force_login(editor)
    url = reverse("admin:companies_company_change", args=[company.pk])
    html = client.get(url).content.decode()
    assert f'<input type="hidden" name="version" value="{company.version}"' in html


def test_second_editor_gets_a_conflict_and_keeps_their_input(two_editors):
    alice, bob = two_editors
    company = make_company(comp_min=170_000, comp_max=280_000, comp_note="")
    url, alice_data = open_change_form(alice, company, checked=True)
    _, bob_data = open_change_form(bob, company, checked=True)

    alice_data["comp_max"] = "300000"
    assert alice.post(url, alice_data).status_code == 302

    bob_data["comp_note"] = "Top of market"
    response = bob.post(url, bob_data)

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert "(alice, " in page
    assert "Your changes are kept below but were not saved." in page
    assert 'value="Top of market"' in page
    assert "Saving again will replace the stored Maximum pay and Pay note." in page
    company.refresh_from_db()
    assert (company.comp_max, company.comp_note) == (300_000, "")


def test_saving_again_after_the_conflict_keeps_the_second_editors_input(two_editors):
    alice, bob = two_editors
    company = make_company(comp_note="")
    url, alice_data = open_change_form(alice, company, checked=True)
    _, bob_data = open_change_form(bob, company, checked=True)
    alice_data["focus"] = "Alice's focus"
    alice.post(url, alice_data)
    bob_data["comp_note"] = "Bob's note"
    conflict = bob.post(url, bob_data)

    response = bob.post(url, form_data(conflict))

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.comp_note == "Bob's note"
    # Bob saw Alice's change in the conflict and chose to replace it: his form still held the old focus.
    assert company.focus == "Applied AI"
    assert company.history.count() == 3


def test_one_editor_saving_twice_in_a_row_has_no_conflict(client, editor):
    company = make_company()
    client.force_login(editor)
    for note in ("First", "Second"):
        url, data = open_change_form(client, company, checked=True)
        data["comp_note"] = note
        assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert company.comp_note == "Second"
    assert company.version == 3


def test_bulk_publish_meanwhile_is_a_conflict_too(client, editor):
    company = make_company(is_published=True)
    client.force_login(editor)
    url, data = open_change_form(client, company)
    set_published(Company.objects.filter(pk=company.pk), False)

    response = client.post(url, data)

    assert CONFLICT in response.content.decode()
    company.refresh_from_db()
    assert company.is_published is False


def test_a_missing_or_tampered_version_never_saves_and_never_fails(client, editor):
    company = make_company(comp_note="")
    client.force_login(editor)
    url, data = open_change_form(client, company)
    data["comp_note"] = "Changed"
    for version in ("", "abc", "-1", "99999999999999999999"):
        data["version"] = version
        response = client.post(url, data)
        assert response.status_code == 200
        assert CONFLICT in response.content.decode()
    company.refresh_from_db()
    assert company.comp_note == ""


def test_adding_a_company_needs_no_version(client, editor, edition):
    client.force_login(editor)
    role = make_role()
    response = client.post(
        reverse("admin:companies_company_add"),
        {
            "name": "Acme AI",
            "slug": "acme-ai",
            "position": 0,
            "is_published": "on",
            "roles": [role.pk],
            "edition": edition.pk,
            "as_of": "2026-01-31",
            "source": "Test",
            "last_verified": "2026-01-31",
        },
    )
    assert response.status_code == 302
    assert Company.objects.get(slug="acme-ai").version == 1


def test_salary_benchmark_conflict(two_editors):
    alice, bob = two_editors
    benchmark = make_benchmark()
    url, alice_data = open_change_form(alice, benchmark, checked=True)
    _, bob_data = open_change_form(bob, benchmark, checked=True)
    alice_data["base_max"] = "165000"
    assert alice.post(url, alice_data).status_code == 302

    bob_data["total_max"] = "185000"
    response = bob.post(url, bob_data)

    assert "Someone else saved this salary benchmark while you were editing" in response.content.decode()
    benchmark = SalaryBenchmark.objects.get(pk=benchmark.pk)
    assert (benchmark.base_max, benchmark.total_max) == (165_000, 180_000)
