"""Cells a spreadsheet shows as text: the one rule for every CSV the site writes (API, bookmarks, admin export)."""

from import_export.formats import base_formats

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
