"""The public job-board formats of Greenhouse, Lever and Ashby, read into plain records.

Each parser takes a decoded JSON payload, as the board's list endpoint returns it, and gives ``ParsedPosting`` rows: no
network, no database, no sanitising. A payload that is not its provider's shape raises ``PayloadError`` naming the
provider, the job and the field; a field that is the right type but unusable (an unknown pay interval, a date that does
not parse, a ``javascript:`` link) is dropped instead, so one odd posting never hides a whole board.

The formats, as their providers document them:

- Greenhouse, ``GET boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true``: ``{"jobs": [...], "meta":
  {"total": N}}``, each job's ``content`` entity-escaped HTML. Pay (``pay_input_ranges``) is documented only on the
  single-job endpoint with ``?pay_transparency=true``; it is read wherever a job carries it.
- Lever, ``GET api.lever.co/v0/postings/{site}?mode=json``: a bare list of postings, paged with ``skip``/``limit``.
- Ashby, ``GET api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true``: ``{"apiVersion": "1",
  "jobs": [...]}``.
"""

import html
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import NoReturn

from .classification import Pay, period_of

TITLE_LIMIT = 300
LOCATION_LIMIT = 200
DEPARTMENT_LIMIT = 200
EMPLOYMENT_TYPE_LIMIT = 60
EXTERNAL_ID_LIMIT = 100
URL_LIMIT = 1000
# The largest pay the guide stores (a 32-bit column); anything above it is not a real figure.
PAY_LIMIT = 2_147_483_647


class PayloadError(ValueError):
    """A payload that is not the shape its provider documents."""


@dataclass(frozen=True)
class ParsedPosting:
    external_id: str
    title: str
    url: str  # the employer's own page for the role
    apply_url: str
    locations: tuple[str, ...]  # the main one first
    workplace_field: str  # the board's own workplace value, as given; "" where the board has none
    is_remote: bool | None  # Ashby's isRemote; None where the board has no such flag
    employment_type: str
    department: str
    posted_at: datetime | None  # aware, UTC
    description_html: str  # as the board gives it (Greenhouse's unescaped); not sanitised
    description_text: str
    pay: Pay | None  # from the board's own pay fields only; an interval other than a year, month or hour gives none


ASHBY_EMPLOYMENT_TYPES = {
    "FullTime": "Full-time",
    "PartTime": "Part-time",
    "Intern": "Internship",
    "Contract": "Contract",
    "Temporary": "Temporary",
}

_WHITESPACE = re.compile(r"\s+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_WEB_URL = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)
# Greenhouse pay ranges carry no interval field: the period is read from the words of the range's title or blurb.
_GREENHOUSE_PERIODS = (
    ("hour", re.compile(r"\bhour(ly)?\b", re.IGNORECASE)),
    ("month", re.compile(r"\bmonth(ly)?\b", re.IGNORECASE)),
    ("year", re.compile(r"\b(annual(ly)?|year(ly)?|per annum|salary)\b", re.IGNORECASE)),
)


def _line(value: str, limit: int) -> str:
    """One line of text: whitespace collapsed, cut to ``limit`` characters with an ellipsis."""
    text = _WHITESPACE.sub(" ", value).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _web_url(value: str) -> str:
    value = value.strip()
    return value if len(value) <= URL_LIMIT and _WEB_URL.fullmatch(value) else ""


def _iso_time(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _finite(value: float | None) -> bool:
    try:
        return value is not None and math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _epoch_ms_time(value: float | None) -> datetime | None:
    if not _finite(value) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _pay(low: float | None, high: float | None, currency: str, period: str | None) -> Pay | None:
    if period is None or not (_finite(low) and _finite(high)):
        return None
    low, high, currency = round(low), round(high), currency.strip().upper()
    if not _CURRENCY.fullmatch(currency) or low <= 0 or low > high or high > PAY_LIMIT:
        return None
    return Pay(min=low, max=high, currency=currency, period=period)


def _locations(names) -> tuple[str, ...]:
    seen, kept = set(), []
    for name in names:
        name = _line(name, LOCATION_LIMIT)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return tuple(kept)


class _TextExtractor(HTMLParser):
    _PARAGRAPHS = frozenset(
        {
            "address", "article", "aside", "blockquote", "div", "dl", "figcaption", "footer", "h1", "h2", "h3", "h4",
            "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
        }
    )  # fmt: skip
    _LINES = frozenset({"br", "dd", "dt", "li", "tr"})
    _HIDDEN = frozenset({"script", "style", "template", "noscript", "head"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in self._LINES:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML fragment: blocks on their own lines, scripts and styles left out."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    lines = (_WHITESPACE.sub(" ", line).strip() for line in "".join(extractor.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Job:
    """One job object of a payload, read field by field with each field's type checked.

    A path names nested fields with dots, list items by their index: ``categories.location``, ``departments.0.name``.
    """

    def __init__(self, provider: str, index: int, data: object):
        self.provider = provider
        self.where = f"job {index + 1}"
        if not isinstance(data, dict):
            self.fail("is not an object")
        self.data = data

    def fail(self, problem: str) -> NoReturn:
        raise PayloadError(f"{self.provider} {self.where} {problem}")

    def field_fail(self, path: str, problem: str) -> NoReturn:
        article = "an" if path[:1].lower() in "aeiou" else "a"
        self.fail(f"has {article} '{path}' {problem}")

    def get(self, path: str):
        value, walked = self.data, []
        for key in path.split("."):
            if value is None:
                return None
            if isinstance(value, list) and key.isdigit():
                value = value[int(key)] if int(key) < len(value) else None
            elif isinstance(value, dict):
                value = value.get(key)
            else:
                self.field_fail(".".join(walked), "that is not an object")
            walked.append(key)
        return value

    def text(self, path: str) -> str:
        value = self.get(path)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.field_fail(path, "that is not text")
        return value

    def mapping(self, path: str) -> dict:
        value = self.get(path)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.field_fail(path, "that is not an object")
        return value

    def array(self, path: str) -> list:
        value = self.get(path)
        if value is None:
            return []
        if not isinstance(value, list):
            self.field_fail(path, "that is not a list")
        return value

    def number(self, path: str) -> float | None:
        value = self.get(path)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.field_fail(path, "that is not a number")
        return value

    def flag(self, path: str) -> bool | None:
        value = self.get(path)
        if value is not None and not isinstance(value, bool):
            self.field_fail(path, "that is not true or false")
        return value

    def texts(self, path: str, key: str = "") -> list[str]:
        """The text items of a list, or the ``key`` text of each of its objects."""
        items = self.array(path)
        return [self.text(f"{path}.{i}.{key}" if key else f"{path}.{i}") for i in range(len(items))]

    def identify(self, path: str) -> str:
        """The job's id, which every later message names."""
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
            self.fail(f"has no '{path}'")
        external_id = str(value).strip()
        if len(external_id) > EXTERNAL_ID_LIMIT:
            self.field_fail(path, f"longer than {EXTERNAL_ID_LIMIT} characters")
        self.where = f"{self.where} (id {external_id})"
        return external_id

    def title(self, path: str) -> str:
        title = _line(self.text(path), TITLE_LIMIT)
        if not title:
            self.fail(f"has no '{path}'")
        return title


def _jobs(provider: str, payload: object) -> list:
    if not isinstance(payload, dict):
        raise PayloadError(f"{provider} payload is not an object")
    jobs = payload.get("jobs")
    if not isinstance(jobs, list):
        raise PayloadError(f"{provider} payload has no 'jobs' list")
    return jobs


def _greenhouse_pay(job: _Job) -> Pay | None:
    """The first of the job's pay ranges; its period from the range's own words, else none."""
    if not job.array("pay_input_ranges"):
        return None
    words = f"{job.text('pay_input_ranges.0.title')}\n{job.text('pay_input_ranges.0.blurb')}"
    period = next((period for period, pattern in _GREENHOUSE_PERIODS if pattern.search(words)), None)
    low, high = job.number("pay_input_ranges.0.min_cents"), job.number("pay_input_ranges.0.max_cents")
    return _pay(
        None if low is None else low / 100,
        None if high is None else high / 100,
        job.text("pay_input_ranges.0.currency_type"),
        period,
    )


def parse_greenhouse(payload: object) -> list[ParsedPosting]:
    postings = []
    for index, data in enumerate(_jobs("Greenhouse", payload)):
        job = _Job("Greenhouse", index, data)
        external_id = job.identify("id")
        title = job.title("title")
        url = _web_url(job.text("absolute_url"))
        job.array("departments")
        description_html = html.unescape(job.text("content"))
        postings.append(
            ParsedPosting(
                external_id=external_id,
                title=title,
                url=url,
                apply_url=url,
                # One text names every place, e.g. "San Francisco, CA | New York City, NY".
                locations=_locations(re.split(r"[|;•]", job.text("location.name"))),
                workplace_field="",
                is_remote=None,
                employment_type="",
                department=_line(job.text("departments.0.name"), DEPARTMENT_LIMIT),
                posted_at=_iso_time(job.text("first_published")) or _iso_time(job.text("updated_at")),
                description_html=description_html,
                description_text=html_to_text(description_html),
                pay=_greenhouse_pay(job),
            )
        )
    return postings


def _lever_description(job: _Job) -> tuple[str, str]:
    """The whole posting as its page shows it: the description, each extra list under its heading, the closing."""
    html_parts, text_parts = (
        [job.text("description")],
        [job.text("descriptionPlain") or html_to_text(job.text("description"))],
    )
    for i in range(len(job.array("lists"))):
        heading, items = job.text(f"lists.{i}.text"), job.text(f"lists.{i}.content")
        html_parts.append(f"<h3>{html.escape(heading)}</h3><ul>{items}</ul>")
        text_parts.append(f"{heading}\n{html_to_text(items)}")
    for field in ("salaryDescription", "additional"):
        html_parts.append(job.text(field))
        text_parts.append(job.text(f"{field}Plain") or html_to_text(job.text(field)))
    return "".join(html_parts), "\n\n".join(part.strip() for part in text_parts if part.strip())


def parse_lever(payload: object) -> list[ParsedPosting]:
    if not isinstance(payload, list):
        raise PayloadError("Lever payload is not a list of postings")
    postings = []
    for index, data in enumerate(payload):
        job = _Job("Lever", index, data)
        external_id = job.identify("id")
        title = job.title("text")
        url = _web_url(job.text("hostedUrl"))
        job.mapping("categories")
        job.mapping("salaryRange")
        description_html, description_text = _lever_description(job)
        postings.append(
            ParsedPosting(
                external_id=external_id,
                title=title,
                url=url,
                apply_url=_web_url(job.text("applyUrl")) or url,
                locations=_locations([job.text("categories.location"), *job.texts("categories.allLocations")]),
                workplace_field=job.text("workplaceType").strip(),
                is_remote=None,
                employment_type=_line(job.text("categories.commitment"), EMPLOYMENT_TYPE_LIMIT),
                department=_line(job.text("categories.department") or job.text("categories.team"), DEPARTMENT_LIMIT),
                posted_at=_epoch_ms_time(job.number("createdAt")),
                description_html=description_html,
                description_text=description_text,
                pay=_pay(
                    job.number("salaryRange.min"),
                    job.number("salaryRange.max"),
                    job.text("salaryRange.currency"),
                    period_of(job.text("salaryRange.interval")),
                ),
            )
        )
    return postings


def _ashby_pay(job: _Job) -> Pay | None:
    """The first salary component of the summary; equity, bonus and commission are not pay here."""
    # An employer can hide its range from the posting while the API still sends it; the guide does not show it.
    if job.flag("shouldDisplayCompensationOnJobPostings") is False:
        return None
    for i in range(len(job.array("compensation.summaryComponents"))):
        component = f"compensation.summaryComponents.{i}"
        if job.text(f"{component}.compensationType") != "Salary":
            continue
        return _pay(
            job.number(f"{component}.minValue"),
            job.number(f"{component}.maxValue"),
            job.text(f"{component}.currencyCode"),
            period_of(job.text(f"{component}.interval")),
        )
    return None


def _ashby_employment_type(value: str) -> str:
    value = value.strip()
    readable = ASHBY_EMPLOYMENT_TYPES.get(value) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value).capitalize()
    return _line(readable, EMPLOYMENT_TYPE_LIMIT)


def parse_ashby(payload: object) -> list[ParsedPosting]:
    """Every listed job; those with ``isListed: false`` are not on the public board and are left out."""
    postings = []
    for index, data in enumerate(_jobs("Ashby", payload)):
        job = _Job("Ashby", index, data)
        if job.flag("isListed") is False:
            continue
        external_id = job.identify("id")
        title = job.title("title")
        url = _web_url(job.text("jobUrl"))
        job.mapping("compensation")
        description_html = job.text("descriptionHtml")
        postings.append(
            ParsedPosting(
                external_id=external_id,
                title=title,
                url=url,
                apply_url=_web_url(job.text("applyUrl")) or url,
                locations=_locations([job.text("location"), *job.texts("secondaryLocations", "location")]),
                workplace_field=job.text("workplaceType").strip(),
                is_remote=job.flag("isRemote"),
                employment_type=_ashby_employment_type(job.text("employmentType")),
                department=_line(job.text("department") or job.text("team"), DEPARTMENT_LIMIT),
                posted_at=_iso_time(job.text("publishedAt")),
                description_html=description_html,
                description_text=job.text("descriptionPlain").strip() or html_to_text(description_html),
                pay=_ashby_pay(job),
            )
        )
    return postings


PARSERS = {"greenhouse": parse_greenhouse, "lever": parse_lever, "ashby": parse_ashby}
