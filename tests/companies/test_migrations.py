"""Migrations that change what the companies already stored hold."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from companies.models import Company

BEFORE = [("companies", "0007_company_text_trigram_indexes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_companies_stored_before_the_search_words_are_found_by_their_words_after():
    old = migrate(BEFORE)
    edition = old.get_model("market", "Edition").objects.create(
        slug="2026-q1", name="Q1 2026", published_on=timezone.now().date(), is_published=True
    )
    old.get_model("companies", "Company").objects.create(
        name="Hugging Face", slug="hugging-face", edition=edition, as_of=edition.published_on, source="The guide",
        last_verified=edition.published_on, is_published=True, focus="Open-source models", wants="Rust, Python",
        comp_note="Top of market",
    )  # fmt: skip

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    company = Company.objects.get()
    assert company.name_words == " hugging face huggingface "
    assert company.topic_words == " open-source open source models rust python "
    assert company.note_words == " top of market "
    for query in ("hug", "huggingface", "rust", "market", "open source"):
        assert list(Company.objects.matching(query)) == [company], query
    assert list(Company.objects.matching("face models")) == [company]
    assert not Company.objects.matching("ugging").exists()
