"""The API's JSON parser: a text with a NUL character is refused as a 400 naming the field (PostgreSQL cannot
store or compare one, and no field of the guide needs it)."""

from rest_framework import exceptions, parsers


def _nul_fields(data, prefix=""):
    """The dotted names of every string in ``data`` that holds a NUL character."""
    if isinstance(data, str):
        return [prefix or "non_field_errors"] if "\x00" in data else []
    if isinstance(data, dict):
        return [
            name
            for key, value in data.items()
            for name in _nul_fields(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(data, list):
        return [
            name
            for index, value in enumerate(data)
            for name in _nul_fields(value, f"{prefix}.{index}" if prefix else str(index))
        ]
    return []


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        bad = _nul_fields(data)
        if bad:
            raise exceptions.ValidationError({name: ["Text must not contain NUL characters."] for name in bad})
        return data
