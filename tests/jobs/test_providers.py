import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobs.models import Provider
from jobs.providers import PARSERS, Pay, PayloadError, html_to_text, parse_ashby, parse_greenhouse, parse_lever

DEMO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "jobboards"


def greenhouse_job(**overrides):
    job = {
        "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/4012345008",
        "internal_job_id": 3912345008,
        "location": {"name": "San Francisco, CA | New York City, NY"},
        "metadata": None,
        "id": 4012345008,
        "updated_at": "2026-10-20T09:30:00-04:00",
        "requisition_id": "R1234",
        "title": "Research Engineer, Interpretability",
        "company_name": "Acme",
        "first_published": "2026-10-14T10:55:28-04:00",
        "language": "en",
        # Greenhouse escapes the HTML, so an ampersand in the text arrives as &amp;amp;.
        "content": "&lt;p&gt;Build &amp;amp; ship.&lt;/p&gt;"
        "&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;li&gt;JAX&lt;/li&gt;&lt;/ul&gt;",
        "departments": [{"id": 1, "name": "Research", "parent_id": None, "child_ids": []}],
        "offices": [{"id": 2, "name": "San Francisco", "location": "San Francisco, CA", "parent_id": None}],
    }
    job.update(overrides)
    return job


def pay_range(**overrides):
    pay = {"min_cents": 25_000_000, "max_cents": 32_000_050, "currency_type": "USD", "title": "Annual Salary:"}
    pay.update(overrides)
    return pay


def lever_posting(**overrides):
    posting = {
        "id": "7f3c2a10-1b2c-4d5e-8f90-0a1b2c3d4e5f",
        "text": "Research Engineer, Pretraining",
        "categories": {
            "commitment": "Full-time",
            "department": "Science",
            "location": "Paris",
            "team": "Pretraining",
            "allLocations": ["Paris", "London", "paris"],
        },
        "createdAt": 1791123456789,
        "country": "FR",
        "workplaceType": "on-site",
        "description": "<div>We train open models.</div>",
        "descriptionPlain": "We train open models.",
        "lists": [{"text": "About you", "content": "<li>PyTorch</li><li>Distributed training</li>"}],
        "additional": "<div>We value diversity.</div>",
        "additionalPlain": "We value diversity.",
        "hostedUrl": "https://jobs.lever.co/acme/7f3c2a10-1b2c-4d5e-8f90-0a1b2c3d4e5f",
        "applyUrl": "https://jobs.lever.co/acme/7f3c2a10-1b2c-4d5e-8f90-0a1b2c3d4e5f/apply",
        "salaryRange": {"currency": "EUR", "interval": "per-year-salary", "min": 90000, "max": 130000},
    }
    posting.update(overrides)
    return posting


def salary(low, high, interval="1 YEAR", currency="USD"):
    return {
        "compensationType": "Salary",
        "interval": interval,
        "currencyCode": currency,
        "minValue": low,
        "maxValue": high,
    }


EQUITY = {
    "compensationType": "EquityPercentage",
    "interval": "NONE",
    "currencyCode": None,
    "minValue": 0.5,
    "maxValue": 1,
}


def ashby_job(**overrides):
    job = {
        "id": "34413f8d-26bf-4bbc-8ade-eb309a0e2245",
        "title": "Forward Deployed Engineer",
        "department": "Go To Market",
        "team": "Deployment",
        "employmentType": "FullTime",
        "location": "San Francisco",
        "shouldDisplayCompensationOnJobPostings": True,
        "secondaryLocations": [{"location": "New York City", "address": {"postalAddress": {"addressCountry": "USA"}}}],
        "publishedAt": "2026-10-07T17:12:35.753+00:00",
        "isListed": True,
        "isRemote": False,
        "workplaceType": "Hybrid",
        "jobUrl": "https://jobs.ashbyhq.com/acme/34413f8d-26bf-4bbc-8ade-eb309a0e2245",
        "applyUrl": "https://jobs.ashbyhq.com/acme/34413f8d-26bf-4bbc-8ade-eb309a0e2245/application",
        "descriptionHtml": "<p>Ship agents to customers.</p>",
        "descriptionPlain": "Ship agents to customers.",
        "compensation": {
            "compensationTierSummary": "$211.4K – $290.6K • Offers Equity",
            "summaryComponents": [EQUITY, salary(211400, 290600)],
        },
    }
    job.update(overrides)
    return job


def test_greenhouse_maps_a_job_with_content_unescaped_and_pay_in_whole_units():
    (posting,) = parse_greenhouse({"jobs": [greenhouse_job(pay_input_ranges=[pay_range()])], "meta": {"total": 1}})

    assert posting.external_id == "4012345008"
    assert posting.title == "Research Engineer, Interpretability"
    assert posting.url == posting.apply_url == "https://job-boards.greenhouse.io/acme/jobs/4012345008"
    assert posting.locations == ("San Francisco, CA", "New York City, NY")
    assert (posting.workplace_field, posting.is_remote, posting.employment_type) == ("", None, "")
    assert posting.department == "Research"
    assert posting.posted_at == datetime(2026, 10, 14, 14, 55, 28, tzinfo=UTC)
    assert posting.description_html == "<p>Build &amp; ship.</p><ul><li>Python</li><li>JAX</li></ul>"
    assert posting.description_text == "Build & ship.\n\nPython\nJAX"
    assert posting.pay == Pay(min=250_000, max=320_000, currency="USD", period="year")


@pytest.mark.parametrize(
    ("words", "period"),
    [
        ({"title": "Hourly Pay Range"}, "hour"),
        ({"title": "Mexico Monthly Pay Range"}, "month"),
        ({"title": "Zone A", "blurb": "The annual base salary range for this role is below."}, "year"),
        ({"title": "NYC Salary Range"}, "year"),
    ],
)
def test_greenhouse_pay_period_is_read_from_the_range_words(words, period):
    (posting,) = parse_greenhouse({"jobs": [greenhouse_job(pay_input_ranges=[pay_range(**words)])]})

    assert posting.pay.period == period


def test_greenhouse_range_without_a_period_word_and_only_the_first_range_count():
    unlabelled = pay_range(title="Zone A", blurb=None)
    jobs = [
        greenhouse_job(pay_input_ranges=[unlabelled]),
        greenhouse_job(pay_input_ranges=[pay_range(currency_type="GBP"), pay_range(currency_type="USD")]),
    ]

    first, second = parse_greenhouse({"jobs": jobs})

    assert first.pay is None
    assert second.pay.currency == "GBP"


def test_greenhouse_tolerates_absent_and_null_optional_fields():
    job = {"id": 7, "title": "Recruiter", "location": None, "content": None, "departments": None, "metadata": None}
    dated = greenhouse_job(first_published=None)

    (bare,) = parse_greenhouse({"jobs": [job]})
    (fallback,) = parse_greenhouse({"jobs": [dated]})

    assert (bare.url, bare.locations, bare.department, bare.description_html, bare.pay) == ("", (), "", "", None)
    assert bare.posted_at is None
    assert fallback.posted_at == datetime(2026, 10, 20, 13, 30, tzinfo=UTC)


def test_lever_maps_a_posting_with_its_lists_and_structured_pay():
    (posting,) = parse_lever([lever_posting()])

    assert posting.external_id == "7f3c2a10-1b2c-4d5e-8f90-0a1b2c3d4e5f"
    assert posting.title == "Research Engineer, Pretraining"
    assert posting.url.endswith("4e5f") and posting.apply_url.endswith("4e5f/apply")
    assert posting.locations == ("Paris", "London")
    assert posting.workplace_field == "on-site"
    assert posting.is_remote is None
    assert posting.employment_type == "Full-time"
    assert posting.department == "Science"
    assert posting.posted_at == datetime.fromtimestamp(1791123456.789, tz=UTC)
    assert posting.description_html == (
        "<div>We train open models.</div><h3>About you</h3><ul><li>PyTorch</li><li>Distributed training</li></ul>"
        "<div>We value diversity.</div>"
    )
    assert posting.description_text == (
        "We train open models.\n\nAbout you\nPyTorch\nDistributed training\n\nWe value diversity."
    )
    assert posting.pay == Pay(min=90_000, max=130_000, currency="EUR", period="year")


@pytest.mark.parametrize(
    ("salary_range", "pay"),
    [
        ({"currency": "USD", "interval": "per-hour-wage", "min": 45, "max": 60}, Pay(45, 60, "USD", "hour")),
        (
            {"currency": "eur", "interval": "per-month-salary", "min": 1800, "max": 2400},
            Pay(1800, 2400, "EUR", "month"),
        ),
        ({"currency": "USD", "interval": "per-week-salary", "min": 2000, "max": 3000}, None),
        ({"currency": "USD", "interval": "one-time", "min": 5000, "max": 9000}, None),
        ({"currency": "USD", "interval": "per-year-salary", "min": 250000, "max": 200000}, None),
        ({"currency": "USD", "interval": "per-year-salary", "min": 0, "max": 200000}, None),
        ({"currency": "dollars", "interval": "per-year-salary", "min": 100000, "max": 200000}, None),
        ({"currency": "USD", "interval": "per-year-salary", "min": 100000}, None),
        (None, None),
    ],
)
def test_lever_pay_needs_a_known_interval_a_currency_and_a_sound_range(salary_range, pay):
    (posting,) = parse_lever([lever_posting(salaryRange=salary_range)])

    assert posting.pay == pay


def test_lever_tolerates_absent_optional_fields():
    (posting,) = parse_lever([{"id": "abc", "text": "Account Executive", "hostedUrl": "https://jobs.lever.co/a/abc"}])

    assert posting.apply_url == "https://jobs.lever.co/a/abc"
    assert (posting.locations, posting.workplace_field, posting.department, posting.posted_at) == ((), "", "", None)
    assert (posting.description_html, posting.description_text, posting.pay) == ("", "", None)


def test_lever_department_falls_back_to_the_team():
    categories = {"team": "Applied AI", "location": "London"}

    (posting,) = parse_lever([lever_posting(categories=categories)])

    assert posting.department == "Applied AI"


def test_ashby_maps_a_job_and_takes_the_salary_component_only():
    (posting,) = parse_ashby({"apiVersion": "1", "jobs": [ashby_job()]})

    assert posting.external_id == "34413f8d-26bf-4bbc-8ade-eb309a0e2245"
    assert posting.url.endswith("e2245") and posting.apply_url.endswith("e2245/application")
    assert posting.locations == ("San Francisco", "New York City")
    assert (posting.workplace_field, posting.is_remote) == ("Hybrid", False)
    assert posting.employment_type == "Full-time"
    assert posting.department == "Go To Market"
    assert posting.posted_at == datetime(2026, 10, 7, 17, 12, 35, 753000, tzinfo=UTC)
    assert posting.description_html == "<p>Ship agents to customers.</p>"
    assert posting.description_text == "Ship agents to customers."
    assert posting.pay == Pay(min=211_400, max=290_600, currency="USD", period="year")


@pytest.mark.parametrize(
    ("components", "pay"),
    [
        ([salary(52, 60, "1 HOUR")], Pay(52, 60, "USD", "hour")),
        ([salary(2500, 3000, "1 MONTH", "EUR")], Pay(2500, 3000, "EUR", "month")),
        ([salary(95000.4, 120000.6, "1 YEAR", "GBP")], Pay(95000, 120001, "GBP", "year")),
        ([salary(2000, 2500, "1 WEEK")], None),
        ([EQUITY, {"compensationType": "Bonus", "interval": "NONE", "minValue": None, "maxValue": None}], None),
        ([], None),
    ],
)
def test_ashby_pay_by_component(components, pay):
    (posting,) = parse_ashby({"jobs": [ashby_job(compensation={"summaryComponents": components})]})

    assert posting.pay == pay


def test_ashby_leaves_out_unlisted_jobs_and_pay_hidden_from_the_posting():
    jobs = [ashby_job(isListed=False, id="hidden"), ashby_job(shouldDisplayCompensationOnJobPostings=False)]

    (posting,) = parse_ashby({"jobs": jobs})

    assert posting.external_id == "34413f8d-26bf-4bbc-8ade-eb309a0e2245"
    assert posting.pay is None


def test_ashby_tolerates_absent_and_null_optional_fields():
    job = {"id": "x1", "title": "Recruiter", "compensation": None, "secondaryLocations": None, "workplaceType": None}

    (posting,) = parse_ashby({"jobs": [job]})

    assert (posting.locations, posting.workplace_field, posting.is_remote, posting.employment_type) == (
        (),
        "",
        None,
        "",
    )
    assert (posting.url, posting.posted_at, posting.pay) == ("", None, None)


def test_ashby_employment_types_read_as_words():
    types = ["FullTime", "PartTime", "Intern", "Contract", "FixedTerm"]

    postings = parse_ashby({"jobs": [ashby_job(id=str(i), employmentType=kind) for i, kind in enumerate(types)]})

    assert [p.employment_type for p in postings] == ["Full-time", "Part-time", "Internship", "Contract", "Fixed term"]


def test_titles_and_locations_are_collapsed_and_capped_not_refused():
    job = lever_posting(
        text="  Senior\n  Software   Engineer,\tInference " + "x" * 400,
        categories={"location": "  New   York ", "allLocations": ["New York", "L" * 250, " "]},
    )

    (posting,) = parse_lever([job])

    assert posting.title.startswith("Senior Software Engineer, Inference x")
    assert len(posting.title) == 300 and posting.title.endswith("…")
    assert posting.locations[0] == "New York"
    assert len(posting.locations) == 2 and len(posting.locations[1]) == 200


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://jobs.example.com/1", "/jobs/1", "https://", "https://a b.com/", ""]
)
def test_only_web_addresses_are_kept(url):
    (posting,) = parse_ashby({"jobs": [ashby_job(jobUrl=url, applyUrl=url)]})

    assert posting.url == posting.apply_url == ""


def test_a_markup_title_is_kept_as_text_for_the_page_to_escape():
    (posting,) = parse_lever([lever_posting(text="Senior Software Engineer, <b>Inference</b>")])

    assert posting.title == "Senior Software Engineer, <b>Inference</b>"


def test_html_to_text_leaves_out_scripts_and_styles():
    markup = "<p>Hello<script>alert(1)</script></p><style>p{}</style><img src=x onerror=alert(1)><p>world</p>"

    assert html_to_text(markup) == "Hello\n\nworld"


@pytest.mark.parametrize(
    ("parser", "payload", "message"),
    [
        (parse_greenhouse, [], "Greenhouse payload is not an object"),
        (parse_greenhouse, {"meta": {"total": 0}}, "Greenhouse payload has no 'jobs' list"),
        (parse_greenhouse, {"jobs": {"id": 1}}, "Greenhouse payload has no 'jobs' list"),
        (parse_greenhouse, {"jobs": ["job"]}, "Greenhouse job 1 is not an object"),
        (parse_greenhouse, {"jobs": [{"title": "Engineer"}]}, "Greenhouse job 1 has no 'id'"),
        (parse_greenhouse, {"jobs": [{"id": True, "title": "Engineer"}]}, "Greenhouse job 1 has no 'id'"),
        (parse_greenhouse, {"jobs": [{"id": 5, "title": "  "}]}, "Greenhouse job 1 (id 5) has no 'title'"),
        (
            parse_greenhouse,
            {"jobs": [{"id": 5, "title": 12}]},
            "Greenhouse job 1 (id 5) has a 'title' that is not text",
        ),
        (
            parse_greenhouse,
            {"jobs": [{"id": 5, "title": "Engineer", "location": "NYC"}]},
            "Greenhouse job 1 (id 5) has a 'location' that is not an object",
        ),
        (
            parse_greenhouse,
            {"jobs": [greenhouse_job(id=5, pay_input_ranges=[pay_range(min_cents="250000")])]},
            "Greenhouse job 1 (id 5) has a 'pay_input_ranges.0.min_cents' that is not a number",
        ),
        (parse_lever, {"ok": False, "error": "Document not found"}, "Lever payload is not a list of postings"),
        (parse_lever, [lever_posting(), {"text": "Engineer"}], "Lever job 2 has no 'id'"),
        (parse_lever, [lever_posting(id="x" * 101)], "Lever job 1 has an 'id' longer than 100 characters"),
        (parse_lever, [lever_posting(id="p1", text=None)], "Lever job 1 (id p1) has no 'text'"),
        (parse_lever, [lever_posting(id="p1", categories=["Paris"])], "has a 'categories' that is not an object"),
        (parse_lever, [lever_posting(id="p1", createdAt="2026-10-01")], "has a 'createdAt' that is not a number"),
        (parse_lever, [lever_posting(id="p1", lists={"text": "x"})], "has a 'lists' that is not a list"),
        (parse_ashby, None, "Ashby payload is not an object"),
        (parse_ashby, {"apiVersion": "1"}, "Ashby payload has no 'jobs' list"),
        (parse_ashby, {"jobs": [ashby_job(id="a1", isRemote="yes")]}, "has an 'isRemote' that is not true or false"),
        (parse_ashby, {"jobs": [ashby_job(id="a1", isListed="false")]}, "has an 'isListed' that is not true or false"),
        (
            parse_ashby,
            {"jobs": [ashby_job(id="a1", secondaryLocations=[{"location": {"name": "NYC"}}])]},
            "Ashby job 1 (id a1) has a 'secondaryLocations.0.location' that is not text",
        ),
    ],
)
def test_a_payload_not_of_the_provider_shape_is_refused_in_words(parser, payload, message):
    with pytest.raises(PayloadError) as raised:
        parser(payload)

    assert message in str(raised.value)


def test_there_is_a_parser_for_every_provider():
    assert set(PARSERS) == set(Provider.values)


def demo_postings():
    sources = json.loads((DEMO_DIR / "sources.json").read_text(encoding="utf-8"))
    return {
        (source["provider"], source["board"]): PARSERS[source["provider"]](
            json.loads((DEMO_DIR / source["provider"] / f"{source['board']}.json").read_text(encoding="utf-8"))
        )
        for source in sources
    }


def test_sources_names_every_demo_board_once():
    sources = json.loads((DEMO_DIR / "sources.json").read_text(encoding="utf-8"))
    files = {(path.parent.name, path.stem) for path in DEMO_DIR.glob("*/*.json")}

    named = [(source["provider"], source["board"]) for source in sources]
    assert sorted(named) == sorted(files)
    assert len({source["company"] for source in sources}) == len(sources)


def test_every_demo_board_parses_into_a_realistic_set():
    boards = demo_postings()
    postings = [posting for board in boards.values() for posting in board]

    assert all(8 <= len(board) <= 25 for board in boards.values())
    assert len(postings) >= 250
    assert all(posting.url.startswith("https://") and posting.posted_at for posting in postings)
    currencies = {posting.pay.currency for posting in postings if posting.pay}
    assert {"USD", "EUR", "GBP"} <= currencies
    assert sum(posting.pay is not None for posting in postings) >= 50


def test_the_demo_set_keeps_its_hostile_postings_for_the_sanitiser():
    boards = demo_postings()
    scale = {p.title: p for p in boards["greenhouse", "scaleai"]}
    wandb = {p.title: p for p in boards["lever", "wandb"]}

    assert "<script>alert(1)</script>" in scale["Software Engineer, Data Engine"].description_html
    assert '<a href="javascript:alert(1)">' in scale["Software Engineer, Data Engine"].description_html
    assert "<img src=x onerror=alert(1)>" in wandb["AI Solutions Engineer"].description_html
    assert "Senior Software Engineer, <b>Inference</b>" in wandb
