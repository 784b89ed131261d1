"""The offer check: where a candidate's offer falls in the edition's band for a level and in a company's range.

Nothing here stores anything: the form is read, the offer placed, the page rendered, and all of it forgotten.
"""

import re
from dataclasses import dataclass

from django import forms
from django.db import models

from companies.models import Company, CompBasis
from core.charts import Bar, Scale
from core.money import format_usd, usd_range
from jobs.pay import PostedPay
from market.models import SalaryBenchmark

# Yearly pay outside these bounds is a typing slip (monthly pay, a missing or extra zero), not an offer.
MIN_PAY = 10_000
MAX_PAY = 5_000_000
MAX_LENGTH = 20
_AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*([kKmM])?$")


def parse_usd(text: str) -> int | None:
    """ "185000", "185,000", "$185,000", "185k", "1.2M" -> whole dollars; anything else -> None."""
    match = _AMOUNT.match(text.strip())
    if not match:
        return None
    whole, fraction, unit = match.groups()
    amount = int(whole.replace(",", "")) + (int(fraction.ljust(2, "0")) / 100 if fraction else 0)
    amount *= {"k": 1_000, "m": 1_000_000}.get((unit or "").lower(), 1)
    return round(amount)


class UsdField(forms.CharField):
    """A yearly amount in US dollars, typed the way people type pay ("185000", "$185,000", "185k")."""

    def __init__(self, *, what, **kwargs):
        self.what = what
        attrs = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "class": "input--pay"}
        super().__init__(widget=forms.TextInput(attrs={**attrs, "maxlength": MAX_LENGTH}), **kwargs)
        self.error_messages["required"] = f"Enter your {what}, in US dollars a year, e.g. 185000."

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) <= MAX_LENGTH and value.lstrip().startswith(("-", "−")) and parse_usd(value.lstrip()[1:]):
            raise forms.ValidationError(f"Your {self.what} must be more than $0.", code="not_positive")
        amount = parse_usd(value) if len(value) <= MAX_LENGTH else None
        if amount is None:
            raise forms.ValidationError(
                f"Enter your {self.what} as a number of US dollars a year, e.g. 185000 or 185k.", code="invalid"
            )
        if amount <= 0:
            raise forms.ValidationError(f"Your {self.what} must be more than $0.", code="not_positive")
        if amount < MIN_PAY:
            raise forms.ValidationError(
                f"${amount:,} is less than ${MIN_PAY:,} a year. Enter yearly pay, not monthly or "
                "hourly, in whole dollars.",
                code="too_low",
            )
        if amount > MAX_PAY:
            raise forms.ValidationError(
                f"${amount:,} is more than ${MAX_PAY:,} a year. Check for an extra zero: enter "
                "yearly pay in whole dollars.",
                code="too_high",
            )
        return amount


class OfferCheckForm(forms.Form):
    level = forms.ChoiceField(
        label="Level",
        help_text="The level of the role you were offered, by years of experience.",
        error_messages={
            "required": "Choose the level of the role.",
            "invalid_choice": "Choose one of the levels in the list.",
        },
    )
    base = UsdField(label="Base salary", what="base salary", help_text="Yearly, before tax, e.g. 185000 or 185k.")
    total = UsdField(
        label="Total compensation",
        what="total compensation",
        help_text="Base plus bonus and equity per year, e.g. 240000.",
    )
    company = forms.ChoiceField(
        label="Company (optional)",
        required=False,
        help_text="Compare with the range the guide publishes for this company.",
        error_messages={"invalid_choice": "Choose a company from the list, or leave it empty."},
    )

    def __init__(self, *args, levels, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Choose a level")] + [(b.level, b.get_level_display()) for b in levels]
        self.fields["company"].choices = [("", "No company")] + [(c.slug, c.name) for c in companies]

    def clean(self):
        cleaned = super().clean()
        base, total = cleaned.get("base"), cleaned.get("total")
        if base and total and total < base:
            self.add_error(
                "total",
                f"Total compensation ({format_usd(total)}) includes base salary, so it cannot be less than base "
                f"({format_usd(base)}).",
            )
        return cleaned


class Placement(models.TextChoices):
    BELOW = "below", "below the band"
    LOWER = "lower", "in the lower third"
    MIDDLE = "middle", "in the middle third"
    UPPER = "upper", "in the upper third"
    ABOVE = "above", "above the band"


def place(amount: int, low: int, high: int) -> Placement:
    """Where ``amount`` falls in the band ``low``-``high``: below, each third of it, or above."""
    if amount < low:
        return Placement.BELOW
    if amount > high:
        return Placement.ABOVE
    if high == low:
        return Placement.MIDDLE
    share = (amount - low) / (high - low)
    if share < 1 / 3:
        return Placement.LOWER
    if share <= 2 / 3:
        return Placement.MIDDLE
    return Placement.UPPER


@dataclass(frozen=True)
class Check:
    """One amount of the offer against one band: "Base $230K is in the middle third of $200K-260K"."""

    what: str
    amount: int
    low: int
    high: int
    open_ended: bool = False

    @property
    def placement(self) -> Placement:
        return place(self.amount, self.low, self.high)

    @property
    def amount_text(self) -> str:
        return format_usd(self.amount)

    @property
    def band_text(self) -> str:
        return usd_range(self.low, self.high) + ("+" if self.open_ended else "")

    @property
    def gap_text(self) -> str:
        """How far outside the band the amount is, e.g. "$15K below the low end"; empty inside it."""
        if self.placement == Placement.BELOW:
            return f"{format_usd(self.low - self.amount)} below the low end"
        if self.placement == Placement.ABOVE:
            return f"{format_usd(self.amount - self.high)} above the high end"
        return ""


@dataclass(frozen=True)
class OfferResult:
    benchmark: SalaryBenchmark
    base: Check
    total: Check
    company: Company | None = None
    company_checks: tuple[Check, ...] = ()
    posted: PostedPay | None = None  # what the company's open postings pay at this level, in dollars

    @property
    def rows(self) -> list[tuple[str, Check]]:
        """Each comparison as (what it is compared with, the check), bands first, then the company's range."""
        level = self.benchmark.get_level_display()
        rows = [(f"{level} base salary band", self.base), (f"{level} total comp band", self.total)]
        for check in self.company_checks:
            rows.append((f"{self.company.name}’s published range ({check.what.lower()})", check))
        if self.posted is not None:
            rows.append(
                (
                    f"What {self.company.name}’s {self.posted.postings} open postings at this level pay",
                    self.posted_check,
                )
            )
        return rows

    @property
    def posted_check(self) -> Check | None:
        """The offer's base against the median posted range: postings post base salary."""
        if self.posted is None:
            return None
        return Check("Base", self.base.amount, self.posted.min, self.posted.max)

    @property
    def company_basis_note(self) -> str:
        if self.company is None or not self.company.has_range:
            return ""
        if self.company.comp_basis == CompBasis.BASE:
            return "The range is base salary, so it is compared with your base."
        if self.company.comp_basis == CompBasis.TOTAL:
            return "The range is total comp, so it is compared with your total."
        return "The source does not say whether the range is base salary or total comp, so both are compared."


def offer_check(
    *,
    benchmark: SalaryBenchmark,
    base: int,
    total: int,
    company: Company | None = None,
    posted: PostedPay | None = None,
) -> OfferResult:
    """Place an offer in the level's bands and, when given, against the company's published range and what its
    open postings at that level pay (``posted``, in dollars, with a figure)."""
    checks = ()
    if company is not None and company.has_range:
        compared = {
            CompBasis.BASE: [("Base", base)],
            CompBasis.TOTAL: [("Total comp", total)],
        }.get(company.comp_basis, [("Base", base), ("Total comp", total)])
        checks = tuple(
            Check(what, amount, company.comp_min, company.comp_max, company.comp_open_ended)
            for what, amount in compared
        )
    return OfferResult(
        benchmark=benchmark,
        base=Check("Base", base, benchmark.base_min, benchmark.base_max),
        total=Check("Total comp", total, benchmark.total_min, benchmark.total_max),
        company=company,
        company_checks=checks,
        posted=posted if company is not None else None,
    )


@dataclass(frozen=True)
class Marker:
    """The offer's amount drawn as a line across the chart; ``x`` in percent of the plot width."""

    kind: str
    label: str
    x: float

    @property
    def left(self) -> str:
        return f"{round(self.x, 2):g}%"

    @property
    def anchor(self) -> str:
        return "start" if self.x < 15 else "end" if self.x > 85 else "middle"


@dataclass(frozen=True)
class OfferChart:
    """The level's bands, the company's range and the offer's two amounts on the salary page's scale."""

    scale: Scale
    base_band: Bar
    total_band: Bar
    company_bar: Bar | None
    markers: tuple[Marker, ...]
    widened: bool

    @property
    def ticks(self):
        return self.scale.ticks


def salary_page_ranges(benchmarks, previous=()) -> list[tuple[int, int]]:
    """The ranges the salary page fits its chart's scale to: every band of the edition, total comp before."""
    ranges = [pair for b in benchmarks for pair in ((b.base_min, b.base_max), (b.total_min, b.total_max))]
    return ranges + [(b.total_min, b.total_max) for b in previous]


def offer_chart(result: OfferResult, *, benchmarks, previous=()) -> OfferChart:
    """The chart of ``result``: the salary page's scale, widened only when the offer or company lie outside it."""
    ranges = salary_page_ranges(benchmarks, previous)
    page_scale = Scale.fit(ranges)
    extra = [(result.base.amount, result.total.amount)]
    company = result.company
    if company is not None and company.has_range:
        extra.append((company.comp_min, company.comp_max))
    open_ended = bool(company and company.has_range and company.comp_open_ended)
    outside = any(a < page_scale.low or a > page_scale.high for pair in extra for a in pair) or open_ended
    scale = Scale.fit(ranges + extra, open_ended=open_ended) if outside else page_scale
    benchmark = result.benchmark
    return OfferChart(
        scale=scale,
        base_band=scale.bar(benchmark.base_min, benchmark.base_max, kind="base"),
        total_band=scale.bar(benchmark.total_min, benchmark.total_max, kind="total"),
        company_bar=scale.bar(company.comp_min, company.comp_max, open_ended=company.comp_open_ended)
        if company is not None and company.has_range
        else None,
        markers=(
            Marker("base", f"Your base {format_usd(result.base.amount)}", scale.position(result.base.amount)),
            Marker("total", f"Your total {format_usd(result.total.amount)}", scale.position(result.total.amount)),
        ),
        widened=scale != page_scale,
    )
