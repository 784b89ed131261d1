from django.views.generic import DetailView, ListView, TemplateView

from .models import Company


class CompanyListView(ListView):
    """Placeholder until the public pages land."""

    queryset = Company.objects.for_listing()
    template_name = "placeholder.html"


class CompanyDetailView(DetailView):
    queryset = Company.objects.for_listing()
    template_name = "placeholder.html"


class CompanyCompareView(TemplateView):
    template_name = "placeholder.html"
