"""Matching whole words and their beginnings, the same way on PostgreSQL and SQLite.

A searchable text is stored once as its words (``words_of``): lower case, one space before each word and after the
last, e.g. " senior research engineer london uk ". A word a reader types then matches where a stored word begins
with it (``starts_a_word``): a plain ``LIKE '% engin%'``, which every database runs and which an index can carry,
so "rust" finds "Rust" but not "Trust", and "engineer" finds "Engineering".

A stored word keeps the signs inside it ("c++", "gpt-4", "r&d") and is also stored in its letters-and-digits
parts ("gpt", "4"). A typed word is looked for in its parts ("research-engineer" is "research" and "engineer"), but
for a name that ends in signs such as "C++" or "C#", so "gpt-4", "gpt" and "c++" each find "GPT-4 and C++".
"""

import re

from django.db.models import Q

# Signs taken off a word's ends: "(London," is "london"; a trailing + or # stays (C++, C#).
EDGE_SIGNS = "()[]{}<>.,;:!?\"'“”‘’«»/\\|*~`^=$%@_"
PARTS = re.compile(r"[^\W_]+")
NAME_WITH_SIGNS = re.compile(r"[^\W_]+[+#]+")


def words(text):
    """The words of ``text``, lower case, in order, each once; parts of a word with signs inside come after it."""
    found = {}
    for token in text.casefold().split():
        token = token.strip(EDGE_SIGNS)
        if not PARTS.search(token):
            continue  # "&", "–": no letter or digit
        found.setdefault(token, None)
        parts = PARTS.findall(token)
        if parts != [token]:
            for part in parts:
                found.setdefault(part, None)
    return list(found)


def query_words(text):
    """The words a reader typed, as ``starts_a_word`` looks for them (see the module's note), each cut to its
    stem (``stem``)."""
    found = {}
    for token in text.casefold().split():
        token = token.strip(EDGE_SIGNS)
        for word in [token] if NAME_WITH_SIGNS.fullmatch(token) else PARTS.findall(token):
            found.setdefault(stem(word), None)
    return list(found)


def stem(word):
    """A typed word without its English ending, so that its stem begins the other forms of the word: "salaries"
    and "salary" find both, "negotiate" finds "negotiating", "engineers" "engineer". Rough, and the same on every
    database; words of three letters or fewer, and words with digits or signs, are kept whole."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3]
    if word.endswith("y") and len(word) >= 5:
        return word[:-1]  # "salary" and "salaries" both begin "salar"
    for ending, shortest in (("ing", 6), ("ed", 5)):
        if word.endswith(ending) and len(word) >= shortest:
            return word[: -len(ending)]
    if word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    return word


def words_of(*texts, max_bytes):
    """What a searchable column stores for ``texts``: " word word ... ", at most ``max_bytes`` in UTF-8 (whole
    words only), so a column an index carries stays within an index entry's size."""
    stored, size = [], 1
    for word in words(" ".join(texts)):
        size += len(word.encode()) + 1
        if size > max_bytes:
            break
        stored.append(word)
    return f" {' '.join(stored)} " if stored else ""


def run_together(text):
    """``text``'s letters and digits as one word, lower case: "Open AI" and "OpenAI" are both "openai"."""
    return "".join(PARTS.findall(text.casefold()))


def begins_a_word(field, word):
    """A Q true where ``word``, one of ``query_words``, begins a word stored in ``field`` (see ``words_of``)."""
    return Q(**{f"{field}__contains": f" {word}"})


def starts_a_word(field, query):
    """A Q true where every word of ``query`` begins a word stored in ``field``; a query with no word in it matches
    everything."""
    condition = Q()
    for word in query_words(query):
        condition &= begins_a_word(field, word)
    return condition


def begin_words_of(text, looked_for):
    """Whether each of ``looked_for`` (``query_words``) begins a word of ``text``, for text not stored as words."""
    stored = words_of(text, max_bytes=10_000)
    return all(f" {word}" in stored for word in looked_for)
