"""Site search across the guide's pages, companies, roles and advice.

Every kind matches the same way on every database (core.words): each word a reader types must begin a word of the
text ("rust" finds Rust, not Trust), after its English ending is taken off ("salaries" finds "salary"). Companies
are matched and ranked in the database (``CompanyQuerySet.matching`` and ``ranked``, shared with the company list
and the API); the pages, roles and advice are few, and are matched in Python from one query each.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.urls import reverse

from advice.models import AdviceSection, Tip
from companies.models import Company, Role
from core.words import begin_words_of, query_words

MAX_QUERY_LENGTH = 100


class SearchKind:
    ALL = "all"
    PAGES = "pages"
    COMPANIES = "companies"
    ROLES = "roles"
    ADVICE = "advice"

    CHOICES = [(ALL, "Everything"), (COMPANIES, "Companies"), (PAGES, "Pages"), (ROLES, "Roles"), (ADVICE, "Advice")]


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


@dataclass(frozen=True)
class Page:
    """One of the guide's own pages, as search lists it: what a reader would look for it by."""

    title: str
    url_name: str
    description: str

    def get_absolute_url(self):
        return reverse(self.url_name)


PAGES = [
    Page(
        "AI engineer salary benchmarks",
        "market:salaries",
        "Salary and pay by level: base salary and total compensation (comp) for AI engineers, in US dollars a year.",
    ),
    Page(
        "The AI hiring market",
        "market:market",
        "Active AI engineering job postings, month-over-month change, the remote-eligible and senior+ shares, the "
        "trends and the specializations and skills in demand.",
    ),
    Page(
        "Open roles",
        "jobs:posting_list",
        "Open AI engineering jobs from the companies' own job boards: level, location, remote or on-site and posted "
        "pay, newest first.",
    ),
    Page(
        "Check an offer",
        "guide:offer_check",
        "See where a job offer's base salary and total compensation fall in the guide's pay band for its level and "
        "against a company's published range, before you negotiate.",
    ),
    Page(
        "About the data",
        "guide:about_data",
        "Methodology: where the figures come from, how editors verify them, what needs review means and how often a "
        "new edition comes out.",
    ),
    Page(
        "Companies hiring AI engineers",
        "companies:company_list",
        "Company profiles with roles, focus, published pay ranges and what they want; filter and compare employers.",
    ),
    Page(
        "Advice",
        "advice:section_list",
        "How to get hired: what is working, what is not, before applying, in interviews and negotiation.",
    ),
    Page(
        "Changes",
        "changes:change_list",
        "What changed in the guide: pay, outlook and profile updates, newest first.",
    ),
]


def search_pages(query: str) -> list:
    """The guide's pages whose title or description holds every word, those with a word in the title first."""
    looked_for = query_words(query)
    if not looked_for:
        return []
    found = [page for page in PAGES if begin_words_of(f"{page.title} {page.description}", looked_for)]
    return sorted(found, key=lambda page: not any(begin_words_of(page.title, [word]) for word in looked_for))


def search_companies(query: str):
    """Published companies that match (``CompanyQuerySet.matching``, as the company list's filter), best first."""
    return Company.objects.for_listing().matching(query).ranked(query)


def search_roles(query: str) -> list:
    """Roles whose title holds every word, those whose title begins with the first word first, for the role filter
    of the company list (1 query over the few roles)."""
    looked_for = query_words(query)
    if not looked_for:
        return []
    found = [role for role in Role.objects.order_by("name") if begin_words_of(role.name, looked_for)]
    return sorted(found, key=lambda role: not role.name.casefold().startswith(looked_for[0]))


def search_advice(query: str) -> list:
    """Published advice sections whose title, intro or tips hold every word: those matched by their title or intro
    first, then in the guide's order (2 queries over the few sections and tips).

    Each section carries ``matching_tips``: the tips that match themselves; one matched by its title alone, with no
    intro to show, ``first_tips``.
    """
    looked_for = query_words(query)
    if not looked_for:
        return []
    sections = AdviceSection.objects.published().prefetch_related(
        Prefetch("tips", queryset=Tip.objects.order_by("position", "id"), to_attr="all_tips")
    )
    found = []
    for section in sections.order_by("position", "id"):
        section.matching_tips = [
            tip for tip in section.all_tips if begin_words_of(f"{tip.title} {tip.body}", looked_for)
        ]
        by_itself = begin_words_of(f"{section.title} {section.intro}", looked_for)
        if by_itself and not section.matching_tips and not section.intro:
            section.first_tips = section.all_tips[:3]  # what the section says, for one with no intro
        if by_itself or section.matching_tips:
            found.append((not by_itself, section))
    return [section for _, section in sorted(found, key=lambda pair: pair[0])]
