from django.views.generic import TemplateView


class SalaryView(TemplateView):
    template_name = "placeholder.html"


class MarketView(TemplateView):
    template_name = "placeholder.html"
