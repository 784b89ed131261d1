"""Every <time datetime> is a valid HTML date or global date and time (no more than three fraction digits)."""

import re

import pytest

from tests.companies.test_changes import edit, settled_company

pytestmark = pytest.mark.django_db

VALID = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?")


def test_every_datetime_attribute_is_valid_html(client, loaded_edition):
    company = settled_company(name="Timely AI", comp_min=200_000, comp_max=250_000)
    edit(company, comp_max=300_000)  # a change whose time has microseconds
    pages = ["/changes/", company.get_absolute_url(), "/about/data/", "/advice/", "/jobs/", "/"]
    seen = 0
    for path in pages:
        html = client.get(path).content.decode()
        for value in re.findall(r'<time[^>]*\sdatetime="([^"]*)"', html):
            seen += 1
            assert VALID.fullmatch(value), (path, value)
    assert seen >= 3
