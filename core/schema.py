"""OpenAPI post-processing: document the JSON errors every operation can answer with."""

DESCRIPTION = """\
Open data of the AI Hiring Guide: companies, pay, market figures and advice. Reading needs no account.

- **Provenance.** Every object that carries figures has a `provenance` object: the edition it belongs to,
  the date the figure describes (`as_of`), its `source`, the day an editor `last_verified` it, and
  `needs_review` when that check is older than its edition (not made since the edition before came out).
- **Pages.** Lists are paginated: `count`, `next`, `previous` and `results`; `page_size` goes from 1 to 100
  (25 by default). A `page_size` outside that range is a 400, a page that does not exist a 404.
- **Filters.** `/api/companies/` takes exactly the parameters of the site's company list (`q`, `category`,
  `role`, `outlook`, `comp_min`, `ordering`). An empty value counts as not given; unknown parameters are ignored.
- **CSV.** `/api/companies/` and `/api/salaries/` answer `?format=csv` with every matching row (no pages).
  Cells that a spreadsheet would run as a formula start with `'`.
- **Errors** are JSON: `{"detail": "...", "errors": {"<parameter>": ["..."]}}`; `errors` names each bad
  parameter or field (400 only).
- **Your bookmarks** (`/api/bookmarks/`) need a token (`Authorization: Token <key>`, from `POST /api/auth/token/`)
  or a signed-in session with its CSRF token.
- **Rates.** Clients are throttled per address (anonymous) or per account; past the rate the answer is
  429 with `Retry-After` in seconds.
"""

TAGS = [
    {"name": "companies", "description": "Published company profiles, with pay and provenance."},
    {"name": "categories", "description": "The guide's company categories."},
    {"name": "roles", "description": "Role titles shared across companies."},
    {"name": "salaries", "description": "Salary benchmarks by level and edition."},
    {"name": "market", "description": "Headline market figures and trends."},
    {"name": "specializations", "description": "Skills in demand."},
    {"name": "editions", "description": "Published quarterly editions."},
    {"name": "advice", "description": "Advice for candidates."},
    {"name": "bookmarks", "description": "Your own bookmarks, with a private note and a stage."},
    {"name": "auth", "description": "API tokens."},
]

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
    """Add the 400/401/403/404/429 responses the API really gives to every operation; query values may be empty;
    operations anyone may call carry no security requirement."""
    result["info"]["description"] = DESCRIPTION
    result["tags"] = TAGS
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
                # Open to anyone: no security requirement, so the docs show no lock on it (a token may still be sent).
                operation.pop("security", None)
            if "{" in path or "page" in query or "format" in query:
                responses.setdefault("404", _error("No such object, page or format."))
            responses.setdefault("429", _error("Too many requests.", headers=RETRY_AFTER))
    return result
