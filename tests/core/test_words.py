"""``core.words``: the words a text is stored as and the words a reader's query looks for."""

import pytest

from core.words import begin_words_of, query_words, run_together, words_of


def test_a_text_is_stored_as_its_words_lower_case_each_once():
    assert words_of("Senior Research Engineer (London, UK) — London", max_bytes=1000) == (
        " senior research engineer london uk "
    )


def test_a_word_with_signs_is_stored_whole_and_in_its_parts():
    assert words_of("GPT-4 and C++", max_bytes=1000) == " gpt-4 gpt 4 and c++ c "


def test_a_stored_text_keeps_whole_words_within_its_size():
    stored = words_of("alpha beta gamma delta", max_bytes=12)
    assert stored == " alpha beta "
    assert len(stored.encode()) <= 12


@pytest.mark.parametrize(
    ("typed", "looked_for"),
    [
        ("Salaries", ["salar"]),
        ("salary", ["salar"]),
        ("engineers", ["engineer"]),
        ("engineering", ["engineer"]),
        ("negotiate", ["negotiat"]),
        ("negotiating", ["negotiat"]),
        ("remote", ["remot"]),
        ("rust", ["rust"]),
        ("ads ops", ["ads", "ops"]),  # three letters or fewer stay whole
        ("business", ["business"]),
        ("research-engineer", ["research", "engineer"]),
        ("C++ gpt-4", ["c++", "gpt", "4"]),
        ("!!! & |", []),
    ],
)
def test_a_typed_word_is_looked_for_by_its_stem(typed, looked_for):
    assert query_words(typed) == looked_for


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("Trust & Safety", "rust", False),
        ("Rust Platform Engineer", "rust", True),
        ("Machine Learning Engineering", "engineers", True),
        ("Salary negotiation", "salaries negotiate", True),
        ("OpenAI", "open", True),
        ("Meta AI", "open ai", False),
    ],
)
def test_a_name_matches_where_every_typed_word_begins_one_of_its_words(name, query, found):
    assert begin_words_of(name, query_words(query)) is found


def test_a_name_run_together_is_one_word():
    assert run_together("Open AI") == run_together("OpenAI") == "openai"
    assert run_together("Hugging Face, Inc.") == "huggingfaceinc"
