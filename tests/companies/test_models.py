import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookmarks.models import Bookmark
from companies.models import Company, CompBasis
from tests.conftest import make_bookmark, make_category, make_company, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("comp_min", "comp_max"),
    [(300_000, 200_000), (0, 100_000), (100_000, None)],
    ids=["min-above-max", "zero-pay", "half-a-range"],
)
def test_database_refuses_bad_pay(comp_min, comp_max):
    company = make_company()
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(comp_min=comp_min, comp_max=comp_max)


def test_database_refuses_duplicate_slug():
    make_company(slug="acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_company(slug="acme")


def test_database_refuses_second_bookmark_for_same_company():
    bookmark = make_bookmark()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.create(user=bookmark.user, company=bookmark.company)


def test_database_refuses_unknown_bookmark_stage():
    bookmark = make_bookmark()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.filter(pk=bookmark.pk).update(stage="hired")


def test_clean_explains_inverted_range_in_words():
    company = make_company()
    company.comp_min, company.comp_max = 300_000, 200_000
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert error.value.message_dict["comp_max"] == ["Minimum pay must not exceed maximum pay."]


def test_clean_wants_both_ends_of_a_range():
    company = make_company()
    company.comp_max = None
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert error.value.message_dict["comp_max"] == ["Give both minimum and maximum pay, or neither."]


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {"comp_min": 200_000, "comp_max": 400_000, "comp_open_ended": True, "comp_note": "Top of market"},
            "Top of market ($200K-400K+), basis not stated",
        ),
        (
            {"comp_min": 250_000, "comp_max": 500_000, "comp_open_ended": True, "comp_basis": CompBasis.TOTAL},
            "$250K-500K+ total comp",
        ),
        ({"comp_min": 170_000, "comp_max": 280_000, "comp_basis": CompBasis.BASE}, "$170K-280K base"),
        (
            {"comp_min": None, "comp_max": None, "comp_note": "Highly competitive + equity"},
            "Highly competitive + equity",
        ),
        ({"comp_min": 172_500, "comp_max": 280_000}, "$172,500-280K, basis not stated"),
    ],
)
def test_comp_text_words_pay_as_the_guide_does(fields, text):
    assert make_company(**fields).comp_text == text


def test_with_bookmark_state_marks_only_the_users_bookmarks():
    user, other = make_user(), make_user()
    category = make_category()
    saved, unsaved = make_company(category=category), make_company(category=category)
    make_bookmark(user=user, company=saved)
    make_bookmark(user=other, company=unsaved)
    states = {c.slug: c.is_bookmarked for c in Company.objects.published().with_bookmark_state(user)}
    assert states == {saved.slug: True, unsaved.slug: False}


def test_published_hides_drafts():
    make_company(slug="draft", is_published=False)
    make_company(slug="live")
    assert [c.slug for c in Company.objects.published()] == ["live"]


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Google DeepMind", "GD"), ("Anthropic", "A"), ("Amazon (AWS AI)", "A"), ("Weights & Biases", "WB")],
)
def test_initials_take_the_first_letter_of_up_to_two_words(name, initials):
    assert Company(name=name).initials == initials


def test_website_label_drops_the_scheme_and_www_only_from_the_host():
    assert Company(website="https://www.anthropic.com/").website_label == "anthropic.com/"
    assert Company(website="http://example.org/www.jobs").website_label == "example.org/www.jobs"
