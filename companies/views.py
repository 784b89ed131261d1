from collections import Counter

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.template.defaultfilters import pluralize
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from core.charts import benchmark_chart, list_scale
from core.money import format_usd
from core.pagination import COUNT_CAP, CappedPaginator
from market.models import Edition, SalaryBenchmark

from .filters import CompanyFilter
from .models import Company

MAX_COMPARED = 4
# More "c" parameters than this are ignored unread, so a crafted address cannot make a huge query.
MAX_COMPARE_PARAMS = 20
# A profile shows this many others of its group, and a picker this many companies (by name), however many
# there are: pages stay the same size at 100,000 companies.
OTHERS_SHOWN = 8
MAX_PICKER_CHOICES = 100


def _query_without(params, *names):
    """The query string of ``params`` without ``names`` (and never "page"), for links that keep the other filters."""
    params = params.copy()
    for name in (*names, "page"):
        params.pop(name, None)
    return params.urlencode()


# The columns whose header sorts the list: each column's orderings (with the direction a screen reader is told), the
# first of which its header link chooses; a header whose column is already sorted links to its next ordering.
SORT_COLUMNS = {
    "name": [("name", "ascending", "by name, A to Z")],
    "pay": [("-comp_max", "descending", "highest pay first"), ("comp_min", "ascending", "lowest starting pay first")],
}


def _benchmarks(edition_id=None):
    """Benchmark levels of edition ``edition_id``, or of the current edition when that one has none."""
    benchmarks = list(SalaryBenchmark.objects.for_edition(edition_id)) if edition_id else []
    if not benchmarks:
        current = Edition.objects.filter(is_current=True).values("pk")[:1]
        benchmarks = list(SalaryBenchmark.objects.for_edition(current))
    return benchmarks


class CompanyListView(FilterView):
    """``/companies/``: the filterable list, 25 a page; the filters live in the query string and survive paging."""

    filterset_class = CompanyFilter
    paginate_by = 25
    paginator_class = CappedPaginator
    template_name = "companies/company_list.html"

    def get_queryset(self):
        return Company.objects.for_listing().with_bookmark_state(self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    @cached_property
    def params(self):
        """The query string's filters, ordering and page: the parameters this page reads, and only those."""
        params = self.request.GET.copy()
        for name in list(params):
            if name not in self.filterset.form.fields and name != "page":
                del params[name]
        return params

    max_compared = MAX_COMPARED  # the compare bar says it; compare shows the first this many

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.page_obj = context["page_obj"]
        context.update(
            # Kept per these alone: a parameter the page does not read (utm_source=...) changes nothing on it.
            fragment_key=self.params.urlencode(),
            query_string=_query_without(self.params),
            has_errors=self.filterset.is_bound and not self.filterset.is_valid(),
        )
        return context

    # The template keeps the list in a {% cache %} fragment (one per address and per set of saved companies)
    # and reads the properties below inside it, so a hit computes none of them.

    @cached_property
    def edition(self):
        """The current edition, whose age the list's notice gives."""
        return Edition.objects.current()

    @cached_property
    def pay_scale(self):
        pay = Company.objects.published().pay_extremes()
        return list_scale(pay["low"], pay["high"], open_ended=pay["open_ended"])

    @cached_property
    def companies(self):
        """This page's companies, each with its pay bar on the list's one scale."""
        companies = list(self.page_obj.object_list) if self.page_obj else []
        for company in companies:
            company.pay_bar = self.pay_scale.bar(company.comp_min, company.comp_max) if company.has_range else None
        return companies

    @cached_property
    def filter_fields(self):
        """Each field with its choices read once (the template writes the options out; see company_list.html).

        list(iter(...)): list() alone asks a ModelChoiceIterator its length, which is a COUNT query.
        """
        return [
            (field, list(iter(field.field.choices)) if field.widget_type == "select" else None)
            for field in self.filterset.form
        ]

    @cached_property
    def ordering(self):
        """The list's sort order: the valid ``ordering`` parameter, else by name."""
        return self.params.get("ordering", "name") if self.filterset.is_valid() else "name"

    def _sorted_by(self, value):
        """The address of this list (its filters kept, from the first page) sorted by ``value``."""
        kept = _query_without(self.params, "ordering")
        return f"?{kept}&ordering={value}" if kept else f"?ordering={value}"

    @cached_property
    def sort_options(self):
        """Every sort order as a link above the list, the one in use marked."""
        choices = self.filterset.filters["ordering"].extra["choices"]
        return [
            {"label": label, "url": self._sorted_by(value), "current": value == self.ordering}
            for value, label in choices
        ]

    @cached_property
    def sort_links(self):
        """Per sortable column: the address that sorts by it (keeping the filters), what that link does, and, when the
        list is sorted by it, how (for the header's ``aria-sort``)."""
        links = {}
        for column, orderings in SORT_COLUMNS.items():
            values = [value for value, _, _ in orderings]
            current = values.index(self.ordering) if self.ordering in values else None
            value, _, does = orderings[0 if current is None else (current + 1) % len(orderings)]
            links[column] = {
                "url": self._sorted_by(value),
                "sorted": orderings[current][1] if current is not None else None,
                "sorted_as": orderings[current][2] if current is not None else "",
                "does": does,
            }
        return links

    @cached_property
    def active_filters(self):
        """The filters in use, each worded for a reader with the address that removes it."""
        if not self.filterset.is_valid():
            return []
        data = self.filterset.form.cleaned_data
        wording = {
            "q": lambda v: f"Matching “{v}”",
            "category": lambda v: v.name,
            "role": lambda v: f"Role: {v.name}",
            "outlook": lambda v: dict(self.filterset.filters["outlook"].extra["choices"])[v],
            "comp_min": lambda v: f"Pay reaches {format_usd(int(v))}",
        }
        return [
            {"label": words(data[name]), "remove_query": _query_without(self.params, name)}
            for name, words in wording.items()
            if data.get(name) not in (None, "")
        ]


HIRING_SAMPLE = 200  # the newest open postings a profile reads for where and how a company hires
HIRING_PLACES = 5


def hiring_summary(sample, workplaces):
    """Where and how a company hires, from its open postings' ``(locations, workplace)``: the places most of them
    name (at most ``HIRING_PLACES``, most first), how many are remote, hybrid or on-site, in that order, and what
    they were counted from ("its 4 open roles", or "its 200 newest open roles" when there are more)."""
    places = Counter(place for locations, _ in sample for place in dict.fromkeys(locations or []) if place)
    kinds = Counter(workplace for _, workplace in sample)
    newest = " newest" if len(sample) == HIRING_SAMPLE else ""
    return {
        "scope": f"its {len(sample)}{newest} open role{pluralize(len(sample))}",
        "places": [{"name": name, "postings": n} for name, n in places.most_common(HIRING_PLACES)],
        "more_places": max(len(places) - HIRING_PLACES, 0),
        "workplaces": [{"label": label, "postings": kinds[value]} for value, label in workplaces if kinds[value]],
    }


class CompanyDetailView(DetailView):
    """``/companies/<slug>/``: a published profile with its pay against the benchmark levels."""

    template_name = "companies/company_detail.html"

    def get_queryset(self):
        # Its roles are read inside the kept fragment only, so they are not fetched ahead for a page that is kept.
        return Company.objects.for_listing().prefetch_related(None).with_bookmark_state(self.request.user)

    # Below its header (which holds the reader's own Save button and an editor's link), the template keeps the
    # profile in a {% cache %} fragment per company and set of saved companies, and reads the properties below
    # inside it, so a hit computes none of them.

    @cached_property
    def open_roles(self):
        """Its open postings from its own job boards (count up to the cap, the newest few), its boards (their
        public pages, when one was last synced), and where and how the newest ``HIRING_SAMPLE`` of them hire. Read
        through the relations the jobs app adds to companies, by name, so this layer needs no import of that one."""
        company = self.object
        open_postings = company.postings.filter(closed_at__isnull=True)
        count = open_postings.values("pk")[: COUNT_CAP + 1].count()
        boards = list(company.job_sources.filter(is_enabled=True).only("provider", "board", "last_success_at"))
        synced = [board.last_success_at for board in boards if board.last_success_at]
        sample = list(open_postings.order_by("-posted_at", "-id").values_list("locations", "workplace")[:HIRING_SAMPLE])
        return {
            "count": min(count, COUNT_CAP),
            "is_capped": count > COUNT_CAP,
            "newest": list(open_postings.select_related("role").defer("description").order_by("-posted_at", "-id")[:5]),
            "boards": {"count": len(boards), "last_synced": max(synced, default=None), "pages": boards},
            "hiring": hiring_summary(sample, company.postings.model._meta.get_field("workplace").choices),
        }

    @cached_property
    def others(self):
        """Up to OTHERS_SHOWN others of its category, or of its watch list when it has no category."""
        company = self.object
        others = Company.objects.for_listing().with_bookmark_state(self.request.user).exclude(pk=company.pk)
        if company.category_id:
            others = others.filter(category_id=company.category_id).order_by("position", "name")
        elif company.outlook:
            others = others.filter(outlook=company.outlook, category__isnull=True).order_by("position", "name")
        else:
            return []
        return list(others[:OTHERS_SHOWN])

    @cached_property
    def benchmarks(self):
        return _benchmarks(self.object.edition_id)

    @cached_property
    def posted_pay(self):
        """What its open postings pay, per level and currency (the jobs app's ``posted_pay`` on its postings,
        read through the relation by name, so this layer imports nothing of that one)."""
        return self.object.postings.posted_pay()

    @cached_property
    def chart(self):
        """Its range and its postings' pay against the benchmark levels; none without a figure of its own."""
        if not self.benchmarks:
            return None
        usd = [row for row in self.posted_pay if row.currency == "USD"]
        if not self.object.has_range and not any(row.has_figure for row in usd):
            return None
        posted = {
            row.level: (
                f"{self.object.name}’s postings",
                f"Median posted {row.range_text} · {row.postings} postings"
                if row.has_figure
                else f"Too few postings with pay to draw ({row.postings})",
                row.min,
                row.max,
            )
            for row in usd
        }
        return benchmark_chart(
            self.benchmarks,
            companies=[self.object],
            posted=posted,
            title=f"{self.object.name}’s pay against the market’s levels",
            description="Its published range above the benchmark for each level: base salary (bolder) "
            "over total comp (fainter)" + (", and under each level what its own postings pay." if posted else "."),
        )

    @cached_property
    def compare_choices(self):
        return list(
            Company.objects.published()
            .exclude(pk=self.object.pk)
            .order_by("name")
            .values_list("slug", "name")[:MAX_PICKER_CHOICES]
        )


class CompanyCompareView(TemplateView):
    """``/companies/compare/?c=<slug>&c=<slug>``: two to four profiles side by side."""

    template_name = "companies/company_compare.html"

    def requested_slugs(self):
        """The distinct slugs asked for, in the order given."""
        slugs = []
        for raw in self.request.GET.getlist("c")[:MAX_COMPARE_PARAMS]:
            slug = raw.strip()
            if slug and slug not in slugs:
                slugs.append(slug)
        return slugs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slugs = self.requested_slugs()
        valid = []
        for slug in slugs:
            try:
                validate_slug(slug)
            except ValidationError:
                continue
            valid.append(slug)
        found = {
            c.slug: c
            for c in Company.objects.for_listing().with_bookmark_state(self.request.user).filter(slug__in=valid)
        }
        companies = [found[slug] for slug in slugs if slug in found]
        unknown = [slug[:60] for slug in slugs if slug not in found]
        notices = []
        if unknown:
            names = ", ".join(f"“{slug}”" for slug in unknown)
            notices.append(f"We couldn’t find {'a company' if len(unknown) == 1 else 'companies'} called {names}.")
        if len(companies) > MAX_COMPARED:
            shown = ", ".join(c.name for c in companies[:MAX_COMPARED])
            notices.append(
                f"You can compare up to {MAX_COMPARED} companies at once, "
                f"so this shows the first {MAX_COMPARED}: {shown}."
            )
            companies = companies[:MAX_COMPARED]
        if len(companies) < 2 and slugs:
            notices.append(
                f"Choose at least one more company to compare with {companies[0].name}."
                if companies
                else "Choose at least two companies to compare."
            )
        if len(companies) < 2:
            companies = []
        picked = [c.slug for c in companies] or [slug for slug in slugs if slug in found]
        # What their open postings pay by level: the jobs app's posted_pay over their postings, reached through the
        # relation by name (so this layer imports nothing of that one), in two queries for all of them.
        postings = Company._meta.get_field("postings").related_model.objects.filter(company__in=companies)
        posted = postings.posted_pay_by_company() if companies else {}
        for company in companies:
            company.posted = [row for row in posted.get(company.pk, []) if row.has_figure]
        context.update(
            companies=companies,
            notices=notices,
            chart=benchmark_chart(
                _benchmarks(),
                companies=companies,
                title="Their pay side by side, against the market’s levels",
                description="Each company’s published range, then the benchmark for each level: base salary "
                "(bolder) over total comp (fainter).",
            )
            if companies
            else None,
            choices=self.picker_choices(found.values()),
            pickers=[picked[i] if i < len(picked) else "" for i in range(MAX_COMPARED)],
        )
        return context

    def picker_choices(self, chosen):
        """The first companies by name, and the ones already chosen wherever they fall, as (slug, name)."""
        choices = dict(Company.objects.published().order_by("name").values_list("slug", "name")[:MAX_PICKER_CHOICES])
        choices.update((c.slug, c.name) for c in chosen)
        return sorted(choices.items(), key=lambda choice: choice[1])
