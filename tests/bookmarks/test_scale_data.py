"""generate_scale_data adds marked synthetic rows in bulk and removes exactly those rows."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from bookmarks.models import Bookmark
from companies.models import Company
from tests.conftest import make_bookmark, make_company, make_role, make_user

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_scale_data", verbosity=0, **options)


def test_adds_synthetic_companies_with_roles_and_provenance(loaded_edition):
    real = Company.objects.count()
    generate(companies=40)
    synthetic = Company.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 40
    assert Company.objects.count() == real + 40
    company = synthetic.select_related("category", "edition").get(slug="synthetic-0000007")
    assert company.category is not None
    assert company.edition == loaded_edition
    assert company.source == "Synthetic data for load tests"
    assert 1 <= company.roles.count() <= 3
    assert all(c.comp_min is None or c.comp_min <= c.comp_max for c in synthetic)


def test_bookmarks_spread_evenly_over_synthetic_users(loaded_edition):
    generate(companies=30, users=7, bookmarks=100)
    users = User.objects.filter(username__startswith="synthetic-")
    assert users.count() == 7
    counts = sorted(Bookmark.objects.filter(user__in=users).values_list("user_id", flat=True))
    per_user = [counts.count(pk) for pk in users.values_list("pk", flat=True)]
    assert sorted(per_user) == [14, 14, 14, 14, 14, 15, 15]
    assert all(not u.has_usable_password() for u in users)


def test_runs_twice_without_clashes(loaded_edition):
    generate(companies=10, users=3, bookmarks=12)
    generate(companies=10, users=3, bookmarks=12)
    assert Company.objects.filter(slug__startswith="synthetic-").count() == 20
    assert User.objects.filter(username__startswith="synthetic-").count() == 6
    assert Bookmark.objects.count() == 24


def test_bookmarks_on_the_edition_alone(loaded_edition):
    generate(users=1, bookmarks=25)
    assert Bookmark.objects.filter(user__username="synthetic-user-0000001").count() == 25


def test_remove_deletes_only_synthetic_rows(loaded_edition):
    real_company = make_company(roles=[make_role()])
    real_user = make_user()
    kept = make_bookmark(user=real_user, company=real_company)
    generate(companies=25, users=4, bookmarks=40)
    synthetic_company = Company.objects.get(slug="synthetic-0000001")
    make_bookmark(user=real_user, company=synthetic_company)

    call_command("generate_scale_data", remove=True, verbosity=0)

    assert not Company.objects.filter(slug__startswith="synthetic-").exists()
    assert not User.objects.filter(username__startswith="synthetic-").exists()
    assert list(Bookmark.objects.all()) == [kept]
    assert Company.objects.count() == 26
    assert real_company.roles.count() == 1


def test_too_many_bookmarks_per_user_is_refused(loaded_edition):
    with pytest.raises(CommandError, match="more than one per user and company"):
        generate(users=1, bookmarks=26)


def test_companies_need_an_edition():
    with pytest.raises(CommandError, match="load_edition"):
        generate(companies=1)


def test_bookmarks_need_users(loaded_edition):
    with pytest.raises(CommandError, match="--users"):
        generate(bookmarks=5)
