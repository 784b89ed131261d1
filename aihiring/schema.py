"""OpenAPI post-processing: document the JSON errors every operation can answer with."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error. `errors` names each bad query parameter or body field (400 only).",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}

RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}},
}


def _error(description, **extra):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        **extra,
    }


def add_error_responses(result, generator, request, public):
    """Add the 400/401/403/404/429 responses the API really gives to every operation; query values may be empty."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            query = set()
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    # An empty value counts as not given, as in the site's filter forms.
                    parameter["allowEmptyValue"] = True
                    query.add(parameter["name"])
            if query - {"format"} or "requestBody" in operation:
                responses.setdefault("400", _error("A query parameter or body field is invalid; `errors` names it."))
            security = operation.get("security", [])
            if security and {} not in security:
                responses.setdefault("401", _error("No credentials, or invalid ones."))
                responses.setdefault("403", _error("Signed in by session without a CSRF token, or not allowed."))
            else:
                responses.setdefault("401", _error("The credentials sent are invalid."))
            if "{" in path or "page" in query or "format" in query:
                responses.setdefault("404", _error("No such object, page or format."))
            responses.setdefault("429", _error("Too many requests.", headers=RETRY_AFTER))
    return result
