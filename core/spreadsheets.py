"""Spreadsheets: cells shown as text (the one rule for every CSV the site writes: API, bookmarks, admin export), and
the admin's imports, which say what is wrong with a cell and show their changes under the strict CSP."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from import_export import resources, widgets
from import_export.formats import base_formats
from import_export.resources import Diff

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading ' keeps it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value) -> str:
    """``value`` as CSV text, with a leading apostrophe where it could start a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class CSV(base_formats.CSV):
    """django-import-export's CSV with every exported cell escaped by ``csv_cell`` (its own only strips one "=")."""

    def export_data(self, dataset, **kwargs):
        for index, row in enumerate(dataset):
            dataset[index] = [csv_cell(value) if isinstance(value, str) else value for value in row]
        return dataset.export(self.get_title(), **kwargs)


def expected_value(widget) -> str:
    """What a cell read by ``widget`` must hold, in words for editors."""
    if isinstance(widget, widgets.ForeignKeyWidget):
        return f"the {widget.field} of an existing {widget.model._meta.verbose_name}"
    if isinstance(widget, widgets.IntegerWidget):
        return "a whole number without a currency sign, e.g. 180000"
    if isinstance(widget, widgets.NumberWidget):
        return "a number, e.g. 12.5"
    if isinstance(widget, widgets.DateTimeWidget):
        return "a date and time as YYYY-MM-DD HH:MM, e.g. 2026-01-31 09:00"
    if isinstance(widget, widgets.DateWidget):
        return "a date as YYYY-MM-DD, e.g. 2026-01-31"
    if isinstance(widget, widgets.BooleanWidget):
        return "1 or 0 (TRUE or FALSE)"
    return "a value this column accepts"


class SpreadsheetDiff(Diff):
    """The import preview's changes as whole values, the old struck out beside the new (coloured by
    css/admin-csp.css). The library's own diff marks characters with style="" attributes, which the Content Security
    Policy blocks, so 180000 → 185000 read as "1805000"."""

    def as_html(self):
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            before, after = force_str(before), force_str(after)
            if before == after:
                cells.append(escape(after))
            elif self.new or not before:
                cells.append(format_html("<ins>{}</ins>", after))
            elif not after:
                cells.append(format_html("<del>{}</del>", before))
            else:
                cells.append(format_html("<del>{}</del> → <ins>{}</ins>", before, after))
        return cells


class SpreadsheetResource(resources.ModelResource):
    """A resource whose bad cells are reported as column, value and what is expected, and whose preview marks
    changes under the strict CSP; the admins' imports use it."""

    def get_diff_class(self):
        return SpreadsheetDiff

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        except (ValueError, ArithmeticError, TypeError, ObjectDoesNotExist) as error:
            value = row.get(field.column_name, "")
            raise ValueError(
                f"Column “{field.column_name}”: “{value}” is not {expected_value(field.widget)}."
            ) from error
