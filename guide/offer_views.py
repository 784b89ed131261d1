"""``/offer-check/``: place an offer in the current edition's band for its level; nothing entered is kept.

The form POSTs by default, so figures stay out of addresses, browser history and server logs; its second
button submits the same form by GET, for a reader who wants a link to share. Every answer is private and
``no-store`` (so no cache, the site's page cache included, keeps it), the site's same-origin Referrer-Policy
keeps a shared address from other sites, and Django's error reports hide the posted figures.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import View

from advice.models import AdviceSection
from companies.models import Company
from market.models import Edition, SalaryBenchmark

from .offers import OfferCheckForm, offer_chart, offer_check

FORM_FIELDS = ("level", "base", "total", "company")
NEGOTIATION_SLUG = "negotiation"
COMPANY_FIELDS = ("name", "slug", "comp_min", "comp_max", "comp_basis", "comp_open_ended", "comp_note")


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class OfferCheckView(View):
    """GET shows the form (or checks an offer shared by link); POST checks an offer without putting it in the URL."""

    http_method_names = ["get", "post", "options"]
    template_name = "guide/offer_check.html"

    def get(self, request):
        if "csrfmiddlewaretoken" in request.GET:
            # Links made before the share link existed carried the form token: send them to the offer's own fields.
            return redirect(self.share_url(request.GET))
        shared = any(name in request.GET for name in FORM_FIELDS)
        return self.check(request, request.GET if shared else None, shared=shared)

    def post(self, request):
        return self.check(request, request.POST, shared=False)

    def check(self, request, data, *, shared):
        edition = Edition.objects.current()
        benchmarks = list(SalaryBenchmark.objects.for_edition(edition)) if edition else []
        previous = edition.previous() if edition else None
        previous_benchmarks = list(SalaryBenchmark.objects.for_edition(previous)) if previous else []
        companies = list(Company.objects.published().order_by("name").only(*COMPANY_FIELDS))
        form = OfferCheckForm(data, levels=benchmarks, companies=companies)
        context = {
            "form": form,
            "edition": edition,
            "benchmarks": benchmarks,
            "shared": shared,
            "advice": AdviceSection.objects.with_tips().filter(slug=NEGOTIATION_SLUG).first(),
        }
        status = 200
        if data is not None and benchmarks:
            if form.is_valid():
                benchmark = next(b for b in benchmarks if b.level == form.cleaned_data["level"])
                company = next((c for c in companies if c.slug == form.cleaned_data["company"]), None)
                posted = None
                if company is not None:
                    posted = next(
                        (
                            row
                            for row in company.postings.posted_pay()
                            if row.level == benchmark.level and row.currency == "USD" and row.has_figure
                        ),
                        None,
                    )
                result = offer_check(
                    benchmark=benchmark,
                    base=form.cleaned_data["base"],
                    total=form.cleaned_data["total"],
                    company=company,
                    posted=posted,
                )
                context.update(
                    result=result,
                    share_url=self.share_url(form.cleaned_data),
                    chart=offer_chart(result, benchmarks=benchmarks, previous=previous_benchmarks),
                )
            else:
                status = 400
        return render(request, self.template_name, context, status=status)

    @staticmethod
    def share_url(values):
        """The offer check's address holding only the offer's own fields (never a form token)."""
        fields = {name: values[name] for name in FORM_FIELDS if values.get(name) not in (None, "")}
        return f"{reverse('guide:offer_check')}?{urlencode(fields)}"
