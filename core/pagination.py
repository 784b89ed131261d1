from django.core.paginator import Paginator
from django.db.models import IntegerField, Subquery
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

# Counts shown to readers stop here: past it a page says "more than 1,000", and counting costs the same at any size.
COUNT_CAP = 1000


class CappedCount(Subquery):
    """How many rows ``queryset`` has, counting no further than ``cap`` + 1 (one indexed ``LIMIT`` subquery)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()

    def __init__(self, queryset, cap=COUNT_CAP):
        super().__init__(queryset.order_by().values("pk")[: cap + 1])


class CappedPaginator(Paginator):
    """Django's paginator, counting up to ``COUNT_CAP`` rows: past it ``count`` is the cap and ``is_capped`` is true,
    so a list of 100,000 companies costs what a list of 1,000 does and its pages stop at the cap."""

    cap = COUNT_CAP

    @cached_property
    def count(self):
        # Unordered: any cap + 1 rows will do, so the database may count them by whichever index is cheapest.
        counted = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.is_capped = counted > self.cap
        return min(counted, self.cap)


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (1 to 100); a bad ``page_size`` is a 400 naming it, a bad ``page`` a 404.

    ``count`` stops at ``COUNT_CAP``; ``count_is_capped`` says when more rows match than were counted.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        data = dict(response.data)
        response.data = {"count": data.pop("count"), "count_is_capped": self.page.paginator.is_capped, **data}
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = f"Matching rows, counted up to {COUNT_CAP:,}."
        schema["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": f"True when more than {COUNT_CAP:,} rows match: pages stop at the cap.",
        }
        schema["required"] = [*schema.get("required", []), "count_is_capped"]
        return schema

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters
