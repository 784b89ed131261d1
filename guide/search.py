"""Site search across companies, roles and advice.

PostgreSQL ranks matches with full-text search; other databases (SQLite) fall back to a
case-insensitive match of every word. Each function returns a QuerySet, so callers slice
or paginate it and the number of queries stays fixed.
"""

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from advice.models import AdviceSection, Tip
from companies.models import Company, Role

MAX_QUERY_LENGTH = 100
SEARCH_CONFIG = "english"


class SearchKind:
    ALL = "all"
    COMPANIES = "companies"
    ROLES = "roles"
    ADVICE = "advice"

    CHOICES = [(ALL, "Everything"), (COMPANIES, "Companies"), (ROLES, "Roles"), (ADVICE, "Advice")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the guide",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": "Search for %(limit_value)d characters or fewer (you typed %(show_value)d).",
        },
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. RAG, Anthropic, negotiation"}),
    )
    type = forms.ChoiceField(choices=SearchKind.CHOICES, required=False)

    def clean_type(self):
        # An unknown type is not worth an error message: show everything.
        return self.cleaned_data.get("type") or SearchKind.ALL


def _uses_full_text():
    return connection.vendor == "postgresql"


def _terms(query):
    return query.split()


def _all_terms_match(fields, query):
    """A Q that is true when every word of ``query`` appears in one of ``fields``."""
    condition = Q()
    for term in _terms(query):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


def _search_query(query):
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def _name_bonus(query):
    """Rank exact name hits first: a partial word such as "anthro" still finds Anthropic."""
    return Case(When(name__icontains=query, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


def search_companies(query: str) -> QuerySet:
    """Published companies that match (``CompanyQuerySet.matching``, as the company list's filter), best first."""
    companies = Company.objects.for_listing().matching(query)
    if not _uses_full_text():
        return companies.order_by("name")
    ts_query = _search_query(query)
    vector = (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("focus", "wants", weight="B", config=SEARCH_CONFIG)
        + SearchVector("outlook_note", "comp_note", weight="C", config=SEARCH_CONFIG)
    )
    return companies.annotate(rank=SearchRank(vector, ts_query) + _name_bonus(query)).order_by("-rank", "name")


def search_roles(query: str) -> QuerySet:
    """Roles whose title matches, best first, for the role filter of the company list."""
    roles = Role.objects.all()
    if _uses_full_text():
        ts_query = _search_query(query)
        vector = SearchVector("name", config=SEARCH_CONFIG)
        return (
            roles.annotate(search=vector, rank=SearchRank(vector, ts_query) + _name_bonus(query))
            .filter(Q(search=ts_query) | Q(name__icontains=query))
            .order_by("-rank", "name")
        )
    return roles.filter(_all_terms_match(["name"], query)).order_by("name")


def search_advice(query: str) -> QuerySet:
    """Published advice sections whose title, intro or tips match, best first.

    Each section carries ``matching_tips``: the tips that match themselves.
    """
    sections = AdviceSection.objects.published()
    if _uses_full_text():
        ts_query = _search_query(query)
        tip_vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "body", weight="B", config=SEARCH_CONFIG
        )
        section_vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "intro", weight="B", config=SEARCH_CONFIG
        )
        matching_tips = Tip.objects.annotate(search=tip_vector).filter(search=ts_query)
        best_tip_rank = Subquery(
            Tip.objects.filter(section=OuterRef("pk"))
            .annotate(search=tip_vector, rank=SearchRank(tip_vector, ts_query))
            .filter(search=ts_query)
            .order_by("-rank")
            .values("rank")[:1],
            output_field=FloatField(),
        )
        sections = (
            sections.annotate(
                search=section_vector,
                rank=SearchRank(section_vector, ts_query) + Coalesce(best_tip_rank, Value(0.0)),
            )
            .filter(Q(search=ts_query) | Q(Exists(matching_tips.filter(section=OuterRef("pk")))))
            .order_by("-rank", "position", "id")
        )
    else:
        matching_tips = Tip.objects.filter(_all_terms_match(["title", "body"], query))
        sections = sections.filter(
            _all_terms_match(["title", "intro"], query) | Q(Exists(matching_tips.filter(section=OuterRef("pk"))))
        ).order_by("position", "id")
    return sections.prefetch_related(Prefetch("tips", queryset=matching_tips, to_attr="matching_tips"))
