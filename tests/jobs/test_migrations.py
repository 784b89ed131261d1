"""Migrations that change what the postings already stored hold."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jobs.filters import PostingFilter
from jobs.models import Posting

BEFORE = [("jobs", "0007_posting_list_indexes_cover_company"), ("companies", "0007_company_text_trigram_indexes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_postings_stored_before_the_search_words_are_found_by_their_words_after():
    old = migrate(BEFORE)
    edition = old.get_model("market", "Edition").objects.create(
        slug="2026-q1", name="Q1 2026", published_on=timezone.now().date(), is_published=True
    )
    company = old.get_model("companies", "Company").objects.create(
        name="Anthropic", slug="anthropic", edition=edition, as_of=edition.published_on, source="The guide",
        last_verified=edition.published_on, is_published=True,
    )  # fmt: skip
    source = old.get_model("jobs", "JobSource").objects.create(
        company=company, provider="greenhouse", board="anthropic"
    )
    now = timezone.now()
    old.get_model("jobs", "Posting").objects.create(
        source=source, company=company, external_id="1", title="Research Engineer, Interpretability",
        url="https://boards.example/1", locations=["London, UK", "New York, NY"],
        location_text="London, UK · New York, NY",
        department="Research", posted_at=now, first_seen=now, last_seen=now, digest="d",
    )  # fmt: skip

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    posting = Posting.objects.get()
    assert posting.search_text == " research engineer interpretability london uk new york ny "
    assert posting.location_words == " london uk new york ny "
    for query in ({"q": "interp"}, {"q": "anthropic research"}, {"location": "york"}):
        assert list(PostingFilter(query, queryset=Posting.objects.listed()).qs) == [posting]
