from django.views.generic import DetailView, ListView

from .models import AdviceSection


class AdviceSectionListView(ListView):
    queryset = AdviceSection.objects.with_tips()
    template_name = "placeholder.html"


class AdviceSectionDetailView(DetailView):
    queryset = AdviceSection.objects.with_tips()
    template_name = "placeholder.html"
