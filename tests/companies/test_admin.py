import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.editors import editors_group
from bookmarks.models import Bookmark
from companies.admin import CompanyResource
from companies.models import Company
from market.admin import SalaryBenchmarkResource
from market.models import SalaryBenchmark
from tests.conftest import make_bookmark, make_category, make_company, make_edition, make_role, make_user

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    ("companies", "company"),
    ("companies", "category"),
    ("companies", "role"),
    ("market", "edition"),
    ("market", "marketsnapshot"),
    ("market", "salarybenchmark"),
    ("market", "trend"),
    ("market", "specialization"),
    ("advice", "advicesection"),
]


@pytest.mark.parametrize(("app", "model"), CONTENT_MODELS)
def test_editor_reaches_every_content_changelist_and_change_page(client, editor, loaded_edition, app, model):
    client.force_login(editor)
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:{app}_{model}_change", args=[first.pk])).status_code == 200
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize(("app", "model"), CONTENT_MODELS)
def test_plain_user_is_sent_to_the_admin_login(client, app, model):
    client.force_login(make_user())
    url = reverse(f"admin:{app}_{model}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_editor_is_kept_out_of_users_and_groups(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Companies" in index
    assert "Users" not in index


def test_editor_is_not_a_superuser(editor):
    assert editor.is_staff and not editor.is_superuser


def test_editors_group_holds_exactly_the_content_permissions():
    permissions = editors_group().permissions.select_related("content_type")
    assert permissions.count() == 15 * 4
    assert {p.content_type.app_label for p in permissions} == {"companies", "market", "advice", "jobs"}


def test_editor_sees_validation_in_words(client, editor, edition):
    client.force_login(editor)
    category = make_category()
    response = client.post(
        reverse("admin:companies_company_add"),
        {
            "name": "Acme",
            "slug": "acme",
            "category": category.pk,
            "position": 0,
            "is_published": "on",
            "comp_min": 300000,
            "comp_max": 200000,
            "edition": edition.pk,
            "as_of": "2026-01-31",
            "source": "Test",
            "last_verified": "2026-01-31",
        },
    )
    assert response.status_code == 200
    assert "Minimum pay must not exceed maximum pay." in response.content.decode()
    assert not Company.objects.filter(slug="acme").exists()


def test_needs_review_filter_lists_stale_published_profiles(client, editor, edition):
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    old = datetime.date(2026, 1, 31)  # not checked since the edition before Q2 came out
    make_company(name="Stale", last_verified=old, edition=q2)
    make_company(name="Stale draft", last_verified=old, is_published=False, edition=q2)
    make_company(name="Fresh", edition=q2)
    make_company(name="First edition", last_verified=datetime.date(2025, 1, 1), edition=edition)
    client.force_login(editor)
    response = client.get(reverse("admin:companies_company_changelist"), {"review": "needed"})
    names = [c.name for c in response.context["cl"].result_list]
    assert names == ["Stale"]


def test_change_history_records_who_changed_what(client, editor, edition):
    company = make_company(name="Acme")
    client.force_login(editor)
    company.focus = "Agents"
    company._history_user = editor
    company.save()
    response = client.get(reverse("admin:companies_company_history", args=[company.pk]))
    assert response.status_code == 200
    assert editor.username in response.content.decode()
    assert company.history.first().history_user == editor


def test_publish_action_publishes_and_records_history(client, editor, edition):
    draft = make_company(is_published=False)
    client.force_login(editor)
    response = client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Published 1 company." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.history.first().history_user == editor


def test_company_csv_export_then_import_gives_the_same_rows(loaded_edition):
    before = list(Company.objects.order_by("slug").values())
    roles_before = {c.slug: sorted(r.slug for r in c.roles.all()) for c in Company.objects.all()}
    exported = CompanyResource().export().csv
    Company.objects.all().delete()
    result = CompanyResource().import_data(_dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    strip = [{k: v for k, v in row.items() if k not in {"id", "created_at", "updated_at"}} for row in before]
    after = [
        {k: v for k, v in row.items() if k not in {"id", "created_at", "updated_at"}}
        for row in Company.objects.order_by("slug").values()
    ]
    assert after == strip
    assert {c.slug: sorted(r.slug for r in c.roles.all()) for c in Company.objects.all()} == roles_before


def test_salary_csv_export_then_import_gives_the_same_rows(loaded_edition):
    fields = ["level", "base_min", "base_max", "total_min", "total_max", "as_of", "source", "last_verified"]
    before = list(SalaryBenchmark.objects.order_by("level").values(*fields))
    exported = SalaryBenchmarkResource().export().csv
    SalaryBenchmark.objects.all().delete()
    result = SalaryBenchmarkResource().import_data(_dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(SalaryBenchmark.objects.order_by("level").values(*fields)) == before


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil")', "==1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_export_escapes_spreadsheet_formulas(client, editor, edition, name):
    make_company(name=name, slug="evil")
    client.force_login(editor)
    response = client.post(
        reverse("admin:companies_company_export"),
        {"format": "0", "resource": "0", **{f"companyresource_{f}": "on" for f in ("slug", "name")}},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert ["evil", "'" + name] in rows


def test_admin_import_previews_and_shows_row_errors(client, editor, edition):
    make_role(slug="ml-engineer", name="ML Engineer")
    client.force_login(editor)
    csv = (
        "slug,name,roles,comp_min,comp_max,edition,as_of,source,last_verified,is_published\n"
        f"good,Good Co,ml-engineer,100000,200000,{edition.slug},2026-01-31,Test,2026-01-31,1\n"
        f"bad,Bad Co,,300000,200000,{edition.slug},2026-01-31,Test,2026-01-31,1\n"
    )
    response = client.post(
        reverse("admin:companies_company_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("c.csv", csv.encode(), "text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Minimum pay must not exceed maximum pay." in body
    assert not Company.objects.filter(slug__in=["good", "bad"]).exists()


def test_admin_import_preview_then_confirm_saves_rows(client, editor, edition):
    client.force_login(editor)
    csv = (
        "slug,name,comp_min,comp_max,edition,as_of,source,last_verified,is_published\n"
        f"good,Good Co,100000,200000,{edition.slug},2026-01-31,Test,2026-01-31,1\n"
    )
    preview = client.post(
        reverse("admin:companies_company_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("c.csv", csv.encode(), "text/csv")},
    )
    assert "Confirm import" in preview.content.decode()
    assert not Company.objects.filter(slug="good").exists()
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:companies_company_process_import"), confirm.initial, follow=True)
    assert response.status_code == 200
    assert Company.objects.get(slug="good").comp_max == 200000


def _dataset(csv_text):
    import tablib

    return tablib.Dataset().load(csv_text, format="csv")


def test_a_company_candidates_bookmarked_cannot_be_deleted_and_nobody_is_named(client, editor, edition):
    company = make_company(name="Tracked Co")
    make_bookmark(user=make_user(username="private-candidate"), company=company, note="My plans")
    client.force_login(editor)
    url = reverse("admin:companies_company_delete", args=[company.pk])
    page = client.get(url).content.decode()
    assert "1 candidate&#x27;s bookmark, with private notes. Unpublish the company instead" in page
    assert "private-candidate" not in page
    client.post(url, {"post": "yes"})
    assert Company.objects.filter(pk=company.pk).exists()
    assert Bookmark.objects.get(company=company).note == "My plans"


def _import_preview(client, csv_text):
    return client.post(
        reverse("admin:companies_company_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("c.csv", csv_text.encode(), "text/csv")},
    ).content.decode()


def test_a_bad_cell_in_an_import_names_the_column_the_value_and_what_is_expected(client, editor, edition):
    client.force_login(editor)
    header = "slug,name,comp_min,comp_max,edition,as_of,source,last_verified,is_published\n"
    body = _import_preview(
        client,
        header
        + f"one,One Co,1800x00,200000,{edition.slug},2026-01-31,Test,2026-01-31,1\n"
        + "two,Two Co,100000,200000,no-such-edition,31/01/2026,Test,2026-01-31,1\n",
    )
    assert "decimal.ConversionSyntax" not in body and "matching query" not in body
    assert "Column “comp_min”: “1800x00” is not a whole number without a currency sign, e.g. 180000." in body
    assert "Column “edition”: “no-such-edition” is not the slug of an existing edition." in body
    assert "Column “as_of”: “31/01/2026” is not a date as YYYY-MM-DD, e.g. 2026-01-31." in body
    assert not Company.objects.filter(slug__in=["one", "two"]).exists()


def test_the_import_preview_marks_changes_without_inline_styles_and_folds_unchanged_rows(client, editor, edition):
    make_company(slug="steady", name="Steady Co", comp_min=100_000, comp_max=200_000, edition=edition)
    make_company(slug="moving", name="Moving Co", comp_min=100_000, comp_max=180_000, edition=edition)
    client.force_login(editor)
    exported = CompanyResource().export().csv
    body = _import_preview(client, exported.replace("180000", "185000"))

    assert "style=" not in body.split('<table class="import-preview">', 1)[1]
    assert "<td><del>180000</del> → <ins>185000</ins></td>" in body
    preview, unchanged = body.split('<details class="import-unchanged">', 1)
    assert "Moving Co" in preview and "Steady Co" not in preview
    assert "1 unchanged row, which the import leaves as they are" in unchanged and "Steady Co" in unchanged
    assert 'href="/static/css/admin-csp.css"' in body or "admin-csp" in body
