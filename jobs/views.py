import json

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import DetailView
from django_filters.views import FilterView

from companies.models import Company
from core.pagination import CappedPaginator

from .filters import PostingFilter
from .models import JobSource, Level, PayPeriod, Posting, Workplace

# The company picker lists this many companies with a board, by name, read again after this many seconds.
MAX_COMPANY_CHOICES = 200
COMPANY_CHOICES_SECONDS = 300


def company_choices():
    """(slug, name) of the first published companies with a board, by name: kept in the cache for
    COMPANY_CHOICES_SECONDS, so a new board shows in the picker within minutes and a request does not read them."""

    def read():
        boards = JobSource.objects.filter(company=OuterRef("pk"))
        with_boards = Company.objects.published().filter(Exists(boards)).order_by("name")
        return list(with_boards.values_list("slug", "name")[:MAX_COMPANY_CHOICES])

    return cache.get_or_set("jobs:company-choices", read, COMPANY_CHOICES_SECONDS)


def _query_without(params, *names):
    params = params.copy()
    for name in (*names, "page"):
        params.pop(name, None)
    return params.urlencode()


class PostingListView(FilterView):
    """``/jobs/``: open roles from the companies' own boards, newest first, 25 a page, with the API's filters."""

    filterset_class = PostingFilter
    paginate_by = 25
    paginator_class = CappedPaginator
    template_name = "jobs/posting_list.html"

    def get_queryset(self):
        return Posting.objects.listed()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, as the API's is: with no parameters the defaults apply (open postings only).
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filterset.is_valid():
            response.status_code = 400
        return response

    @cached_property
    def params(self):
        params = self.request.GET.copy()
        for name in list(params):
            if name not in self.filterset.form.fields and name != "page":
                del params[name]
        return params

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        has_errors = not self.filterset.is_valid()
        context.update(
            query_string=_query_without(self.params),
            has_errors=has_errors,
            filter_fields=[(field, self.choices(field)) for field in self.filterset.form],
            active_filters=[] if has_errors else self.active_filters(),
        )
        return context

    def choices(self, field):
        """A select's options, read once; the company picker offers the companies that have a board (any
        published company's slug is accepted). list(iter(...)): list() alone asks a ModelChoiceIterator its
        length, which is a COUNT query."""
        if field.name == "company":
            return [("", "Any company"), *company_choices()]
        return list(iter(field.field.choices)) if field.widget_type == "select" else None

    def active_filters(self):
        data = self.filterset.form.cleaned_data
        wording = {
            "q": lambda v: f"Matching “{v}”",
            "company": lambda v: v.name,
            "role": lambda v: v.name,
            "level": lambda v: Level(v).label,
            "workplace": lambda v: Workplace(v).label,
            "location": lambda v: f"In “{v}”",
            "has_pay": lambda v: "Pay posted" if v == "1" else "No pay posted",
            "posted_within": lambda v: f"Posted in the last {int(v)} day{'s' if int(v) != 1 else ''}",
            "state": lambda v: {"closed": "Closed roles", "all": "Open and closed"}.get(v),
        }
        return [
            {"label": words(data[name]), "remove_query": _query_without(self.params, name)}
            for name, words in wording.items()
            if data.get(name) not in (None, "", "open")
        ]


# schema.org's unitText for each pay period.
SCHEMA_UNITS = {PayPeriod.YEAR: "YEAR", PayPeriod.MONTH: "MONTH", PayPeriod.HOUR: "HOUR"}


def job_posting_json_ld(posting):
    """The posting as schema.org ``JobPosting``, for search engines' job listings."""
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description or posting.title,
        "datePosted": posting.posted_at.date().isoformat(),
        "url": posting.url,
        "hiringOrganization": {"@type": "Organization", "name": posting.company.name},
        "identifier": {"@type": "PropertyValue", "name": posting.company.name, "value": posting.external_id},
    }
    if posting.employment_type:
        data["employmentType"] = posting.employment_type.upper().replace("-", "_")
    if posting.closed_at:
        data["validThrough"] = posting.closed_at.isoformat()
    if posting.workplace == Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
    places = [place for place in posting.locations if "remote" not in place.lower()]
    if places:
        data["jobLocation"] = [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": place}} for place in places
        ]
    if posting.has_pay:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.pay_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": posting.pay_min,
                "maxValue": posting.pay_max,
                "unitText": SCHEMA_UNITS[posting.pay_period],
            },
        }
    return data


class PostingDetailView(DetailView):
    """``/jobs/<id>/``: one posting, its description (sanitised when stored) and the employer's own page."""

    template_name = "jobs/posting_detail.html"
    context_object_name = "posting"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Posting.objects.filter(company__is_published=True).select_related("company", "role", "source"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = json_ld_text(job_posting_json_ld(self.object))
        return context


def json_ld_text(data):
    """JSON for a ``<script type="application/ld+json">`` block, with <, > and & escaped so no text can end it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
