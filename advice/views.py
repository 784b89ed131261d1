from django.db.models import Case, IntegerField, When
from django.views.generic import DetailView, ListView

from .models import AdviceGroup, AdviceSection

GROUP_ORDER = Case(
    *[When(group=group, then=index) for index, group in enumerate(AdviceGroup.values)],
    default=len(AdviceGroup.values),
    output_field=IntegerField(),
)


class AdviceSectionListView(ListView):
    """Every published advice section with every tip, grouped as the guide groups them."""

    queryset = (
        AdviceSection.objects.with_tips().alias(group_order=GROUP_ORDER).order_by("group_order", "position", "id")
    )
    template_name = "advice/advicesection_list.html"
    context_object_name = "sections"
    paginate_by = 25


class AdviceSectionDetailView(DetailView):
    """One advice section with its tips, and the sections before and after it."""

    queryset = AdviceSection.objects.with_tips()
    template_name = "advice/advicesection_detail.html"
    context_object_name = "section"

    def get_context_data(self, **kwargs):
        siblings = list(
            AdviceSection.objects.published()
            .alias(group_order=GROUP_ORDER)
            .order_by("group_order", "position", "id")
            .only("slug", "title")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == self.object.pk)
        return super().get_context_data(
            previous_section=siblings[index - 1] if index > 0 else None,
            next_section=siblings[index + 1] if index + 1 < len(siblings) else None,
            **kwargs,
        )
