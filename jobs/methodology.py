"""What the methodology page says about postings: the boards tracked, the reading rules in the words of
``jobs/classification.py``'s docstring, and how often those rules agree with the labelled set."""

import functools
import re
from dataclasses import dataclass

from django.conf import settings

from . import classification
from .models import JobSource


def tracked_sources():
    """The enabled boards of published companies, by company, with the company loaded (1 query)."""
    return (
        JobSource.objects.enabled()
        .filter(company__is_published=True)
        .select_related("company")
        .order_by("company__name", "provider", "board")
    )


@dataclass(frozen=True)
class RuleSection:
    """One topic of the classification rules: its opening paragraph and its points, as the docstring words them."""

    intro: str
    points: tuple[str, ...]

    @property
    def title(self) -> str:
        """The topic, as the intro names it: "Level", "Role family", "Workplace", "Pay"."""
        return self.intro.split(" is ", 1)[0].split(" (", 1)[0]


def _plain(text: str) -> str:
    """A docstring paragraph as one line of prose: reST literals unwrapped, "see ``name``" pointers dropped."""
    text = re.sub(r";?\s*see ``\w+``", "", " ".join(text.split()))
    return text.replace("``", "")


def rule_sections(doc: str | None = None) -> list[RuleSection]:
    """The classification module's docstring as topics (level, role, workplace, pay), without its opening summary.

    A paragraph that is not a list opens a topic; the "- " items after it are its points.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", doc or classification.__doc__ or "") if p.strip()][2:]
    sections = []
    for paragraph in paragraphs:
        if paragraph.lstrip().startswith("- "):
            items = tuple(_plain(item) for item in re.split(r"^- ", paragraph.strip(), flags=re.M) if item.strip())
            if sections:
                sections[-1] = RuleSection(sections[-1].intro, sections[-1].points + items)
            continue
        sections.append(RuleSection(_plain(paragraph), ()))
    return sections


def pay_text_rule() -> str:
    """How pay is read from a description, in ``pay_from_text``'s own words (its docstring after the summary)."""
    doc = classification.pay_from_text.__doc__ or ""
    return _plain(doc.split("\n\n", 1)[-1])


@dataclass(frozen=True)
class Accuracy:
    field: str
    correct: int
    total: int

    @property
    def percent(self) -> str:
        return f"{self.correct / self.total:.1%}" if self.total else "—"


@functools.cache
def labelled_accuracy() -> tuple[Accuracy, ...]:
    """The rules' score on the labelled set, as ``manage.py classification_report`` prints it; empty when the set
    is not installed. Computed once a process (about 50 ms): the rules and the set change only with the code."""
    try:
        postings = classification.read_labelled(settings.BASE_DIR / classification.LABELLED_SET)
    except (OSError, KeyError, TypeError):
        return ()
    scores = classification.score(postings)
    return tuple(Accuracy(field, result.correct, result.total) for field, result in scores.items())
