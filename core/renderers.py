"""CSV for API lists: one row per object, nested objects as dotted columns, formulas escaped."""

import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers, serializers
from rest_framework.exceptions import NotFound

from .spreadsheets import csv_cell

LIST_ITEM_LABELS = ("name", "text", "title", "slug")

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="`csv` returns every matching row as CSV (no pagination); JSON otherwise.",
)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):
        return csv_cell("; ".join(str(_list_label(item)) for item in value))
    return csv_cell(str(value))


def _list_label(item):
    if isinstance(item, dict):
        return next((item[key] for key in LIST_ITEM_LABELS if item.get(key) is not None), "")
    return item


def serializer_columns(serializer, prefix=""):
    """Column names of a serializer's output, nested serializers expanded as ``parent.child``."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            columns.extend(serializer_columns(field, f"{prefix}{name}."))
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _lookup(row, column):
    value = row
    for part in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        columns = serializer_columns(view.get_serializer()) if view is not None else list(rows[0]) if rows else []
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(_lookup(row, column)) for column in columns])
        filename = getattr(view, "csv_filename", None)
        if response is not None and filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return out.getvalue().encode(self.charset)


class CSVMixin:
    """For a read-only viewset: ``?format=csv`` gives every matching row as CSV; errors stay JSON."""

    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    csv_filename = "export.csv"
    csv_max_rows = None  # a list that can grow without bound gives its first rows this many at most

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.csv_max_rows is not None and isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer):
            return queryset[: self.csv_max_rows]
        return queryset

    def paginate_queryset(self, queryset):
        if isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer):
            # Every row, but paging parameters are still checked: a bad one is refused as on a JSON page.
            self.paginator.get_page_size(self.request)
            page = self.request.query_params.get(self.paginator.page_query_param, "1")
            if not (page.isascii() and page.isdigit() and int(page) >= 1):
                raise NotFound("Invalid page.")
            return None
        return super().paginate_queryset(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(getattr(response, "accepted_renderer", None), CSVRenderer):
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = response.accepted_renderer.media_type
        return response
