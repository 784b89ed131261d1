"""The test settings' N+1 guard: a related object loaded row by row in a loop fails the test."""

import pytest
from django.core.exceptions import FieldFetchBlocked

from companies.models import Company
from tests.conftest import make_company

pytestmark = pytest.mark.django_db


def test_related_object_loaded_per_row_raises(edition):
    make_company()
    make_company()
    with pytest.raises(FieldFetchBlocked, match="N\\+1 query: Company.category"):
        [company.category.name for company in Company.objects.all()]


def test_select_related_passes(edition, django_assert_num_queries):
    make_company()
    make_company()
    with django_assert_num_queries(1):
        names = [company.category.name for company in Company.objects.select_related("category")]
    assert len(names) == 2


def test_a_single_row_may_load_its_relations(edition):
    company = make_company()
    assert Company.objects.get(pk=company.pk).category.name
    assert Company.objects.filter(pk=company.pk).first().edition == edition


def test_deferred_field_read_per_row_raises(edition):
    make_company()
    make_company()
    with pytest.raises(FieldFetchBlocked):
        [company.focus for company in Company.objects.only("name")]
