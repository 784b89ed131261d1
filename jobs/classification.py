"""How a job posting's title, locations and board fields become the guide's level, role family, workplace and pay.

Pure rules: no database, no network. The methodology page quotes the decisions below.

Level (Junior 0-2 years, Mid 2-5, Senior 5-8, Staff 8+) is read from markers in the title only; a title without a
marker is "unknown", never guessed ("Research Engineer", "Engineering Manager", "Member of Technical Staff").

- Junior: Junior, Jr, New Grad, Graduate, Early Career, Entry Level, and "Associate" before a job ("Associate
  Software Engineer"). Interns, working students and apprentices (Intern, Internship, Co-op, Werkstudent, Praktikum,
  Stagiaire, Alternance, Apprentice, Trainee) are Junior too: the band starts at 0 years, and an intern title beats
  every other marker ("Research Scientist Intern" is Junior).
- Mid: Mid-level, Intermediate.
- Senior: Senior, Sr, Senior+, Lead before a job ("Lead Software Engineer", "Data Center Lead Technician"), and
  Tech, Technical, Team, Engineering or Research Lead (or Leader). Lead is read as Senior, not Staff: a lead title
  says the person leads work, which starts at senior, not how far above it they are. A "Lead" that ends the title
  or comes before a comma ("Marketing Events Lead, EMEA", "Developer Relations Lead") names who owns a function and
  is no marker; nor are Lead Generation, Lead Management, Leading and Leadership.
- Staff: Staff, Staff+, Senior Staff, Principal, Distinguished.
- Numbers after a job, as ladders write them: I is Junior, II Mid, III Senior, IV and V Staff; the same for 1 to 5
  ("Data Scientist 2"). They count only as separate words at the end or before a comma, dash, bracket or slash, not
  inside words ("AI", "iOS") and not after Level, Tier, Phase, Part or Series. A word marker beats a number
  ("Senior Software Engineer II" is Senior).
- Company ladders (L5, E6, IC4) are not read: the same code means different levels at different companies.
- A range ("Senior/Staff", "Senior or Staff", "I/II") takes the lower level: that is the posting's entry bar.
  Stacked words ("Senior Staff", "Senior Principal") take the higher.
- Not markers: Staff in Member of (the) Technical Staff (a flat title), Chief of Staff, Staffing, Staff Accountant,
  Staff Writer, Staff Attorney; Mid-Market; "Principal" used as a rank on its own ("Principal, Corporate
  Development"); Senior or Associate before an executive rank (Senior Director, Senior Vice President, Associate
  Director, Associate General Counsel), which sits outside the guide's levels.
- Senior stays a marker on manager titles ("Senior Engineering Manager" is Senior).

Role family is one of the guide's roles (its slug), or none when nothing fits; it is never guessed.

- Domain families come first and hold any job in the domain, managers included: Trust & Safety (also T&S,
  Safeguards, Moderation, Abuse: the names Anthropic and others give that work), Open Source (also OSS), Data
  Operations (also Data Ops).
- The other families are jobs, so a manager, director, head, VP or recruiter title has none ("Engineering Manager,
  Machine Learning", "Recruiter, Applied AI").
- The most specific named job wins: Applied AI Engineer, AI Product Engineer, AI/ML Engineer, AI Platform (AI or ML
  Platform Engineer), Applied ML, Applied Scientist (with Applied Research Scientist), Research Engineer (with
  Research Software Engineer), Research Scientist, Solutions Engineer, ML Engineer, Platform Engineer, AI Engineer.
- Solutions Engineer includes Solutions Architect, Sales and Pre-Sales Engineer, Customer Engineer, Applied AI
  Architect and Forward Deployed Engineer: each is an engineer working on a customer's problem rather than the
  company's own product.
- ML Engineer includes Machine Learning Engineer, ML Infrastructure or Systems Engineer, MLOps Engineer and the
  French Ingénieur Machine Learning. AI Engineer includes Generative AI, GenAI and LLM Engineer.
- A generic job with a team (Software Engineer, Engineer, Member of Technical Staff, Ingénieur Logiciel) takes the
  family its team names: "Software Engineer, Machine Learning" (or ML Infrastructure, ML Systems) is ML Engineer,
  "Software Engineer, Applied AI" Applied AI Engineer, "Software Engineer, AI" AI Engineer, "Software Engineer,
  AI Platform" AI Platform, "Software Engineer, Platform" Platform Engineer. Only internal platforms count (Platform,
  Core, Data, Cloud or Infrastructure Platform); a product's platform ("Developer Platform", "Alerting Platform") does
  not. A named job beats its team: "Machine Learning Engineer, Applied AI" is ML Engineer.

Workplace is "remote", "hybrid", "onsite" or "unknown".

- The board's own field comes first: Lever's and Ashby's workplaceType ("remote", "hybrid", "on-site"/"onsite",
  "Remote", "Hybrid", "OnSite"), then Ashby's isRemote when it is true. isRemote false is not read: Ashby gives false
  whenever the location is not a remote one, so it says nothing about hybrid or on-site. Lever's "unspecified" and
  Greenhouse (no such field) fall through to the location text.
- In the location text, any remote option makes the posting remote ("New York or Remote", "Remote-Friendly (Travel
  Required) | San Francisco, CA", "Anywhere", "Worldwide"): remote-eligible is what a reader filtering for remote
  wants. Otherwise Hybrid (also Hybride), then On-site, Onsite, In office, In-person.
- A plain city is "unknown": boards list an office, not an arrangement, and the same "San Francisco, CA" is hybrid
  at one company and on-site at the next.

Pay is read from a description's text only when it states a clear range with a currency; see ``pay_from_text``.
"""

import csv
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# The labelled postings the rules are measured on, relative to the project (BASE_DIR).
LABELLED_SET = Path("tests") / "jobs" / "labelled_postings.csv"
LEVELS = ("junior", "mid", "senior", "staff")
UNKNOWN = "unknown"
# The accuracy the rules must keep on the labelled set; the report command and the tests both check it.
ACCURACY_FLOORS = {"level": 0.95, "workplace": 0.98}

# Level

_LEVEL_NOT_MARKERS = re.compile(
    r"\bmember of (?:the )?technical staff\b|\bchief of staff\b"
    r"|\bstaff (?:accountant|writer|attorney|auditor|nurse|augmentation)s?\b"
    r"|\bmid[\s-]market\b"
    r"|^\W*principal\s*(?=[,\-–—(|:]|$)"
    r"|\b(?:senior|sr\.?)(?=\s+(?:director|vice president|vp|head|chief)\b)"
    r"|\bassociate(?=\s+(?:director|general counsel|counsel|vice president|vp|partner|professor|principal)\b)",
    re.IGNORECASE,
)
_INTERN = re.compile(
    r"\b(?:intern|interns|internship|co-?op|werkstudent(?:in)?|praktikum|praktikant(?:in)?|stagiaire|alternance"
    r"|alternant(?:e)?|apprentice(?:ship)?|trainee)\b",
    re.IGNORECASE,
)
# (level, pattern) for the word markers. Lead counts before a job word, not for sales leads ("Lead Generation").
_WORD_MARKERS = (
    (
        "junior",
        re.compile(
            r"\b(?:junior|jr\b\.?|new grad(?:uate)?s?|graduate|early[\s-]career|entry[\s-]level"
            r"|university grad(?:uate)?|associate(?=\s+[^\W\d]))",
            re.IGNORECASE,
        ),
    ),
    ("mid", re.compile(r"\b(?:mid[\s-]level|intermediate)\b", re.IGNORECASE)),
    (
        "senior",
        re.compile(
            r"\b(?:senior|sr)\b\.?|\b(?:tech|technical|team|engineering|research)\s+lead(?:er)?\b"
            r"|\blead\b"
            r"(?!\s+(?:generation|gen|management|qualification|routing|scoring)\b)(?=\s+[^\W\d])",
            re.IGNORECASE,
        ),
    ),
    ("staff", re.compile(r"\b(?:staff|principal|distinguished)\b", re.IGNORECASE)),
)
_NUMERAL_LEVELS = {"I": "junior", "II": "mid", "III": "senior", "IV": "staff", "V": "staff"}
_DIGIT_LEVELS = {"1": "junior", "2": "mid", "3": "senior", "4": "staff", "5": "staff"}
# Upper case only: a ladder writes "II", while "i" and "v" in lower case are words or typos.
_ROMAN = re.compile(
    r"(?<![^\s(/\-–—,])(?<!(?i:level) )(?<!(?i:tier) )(?<!(?i:phase) )(?<!(?i:part) )(?<!(?i:series) )"
    r"(IV|V|I{1,3})(?=\s*(?:$|[,\-–—()/|:]))"
)
_DIGIT = re.compile(
    r"\b(?:engineer|scientist|developer|analyst|architect|designer|representative|specialist|technician"
    r"|administrator|consultant)\s+([1-5])(?=\s*(?:$|[,\-–—()/|:]))",
    re.IGNORECASE,
)
_RANGE_GAP = re.compile(r"\s*\+?\s*(?:/|\bor\b)\s*", re.IGNORECASE)


def level_of(title: str) -> str:
    """The guide's level from the title's own markers, or "unknown" when it has none (see the module's rules)."""
    text = _LEVEL_NOT_MARKERS.sub(" ", title)
    if _INTERN.search(text):
        return "junior"
    found = [(match.start(), match.end(), level) for level, marker in _WORD_MARKERS for match in marker.finditer(text)]
    if not found:
        found = [(m.start(), m.end(), _NUMERAL_LEVELS[m.group(1)]) for m in _ROMAN.finditer(text)]
        found += [(m.start(1), m.end(1), _DIGIT_LEVELS[m.group(1)]) for m in _DIGIT.finditer(text)]
    if not found:
        return UNKNOWN
    found.sort()
    ranks = [LEVELS.index(level) for _, _, level in found]
    is_range = any(
        _RANGE_GAP.fullmatch(text[end:start]) and rank != next_rank
        for (_, end, _), (start, _, _), rank, next_rank in zip(found, found[1:], ranks, ranks[1:], strict=False)
    )
    return LEVELS[min(ranks) if is_range else max(ranks)]


# Role family

_DOMAIN_FAMILIES = (
    (
        "trust-and-safety",
        re.compile(r"\btrust\s*(?:and|&)\s*safety\b|\bt\s*&\s*s\b|\bsafeguards\b|\bmoderation\b|\babuse\b", re.I),
    ),
    ("open-source", re.compile(r"\bopen[\s-]?source\b|\boss\b", re.IGNORECASE)),
    ("data-operations", re.compile(r"\bdata\s+op(?:eration)?s\b", re.IGNORECASE)),
)
_NOT_A_JOB_FAMILY = re.compile(
    r"\b(?:manager|managers|director|head of|vp|vice president|chief|recruiter|recruiting)\b", re.IGNORECASE
)
_ENGINEER = r"engineer\b(?!ing)"
# Most specific first.
_JOB_FAMILIES = (
    ("applied-ai-engineer", re.compile(rf"\bapplied ai {_ENGINEER}", re.IGNORECASE)),
    ("ai-product-engineer", re.compile(rf"\bai product {_ENGINEER}", re.IGNORECASE)),
    (
        "ai-ml-engineer",
        re.compile(rf"\b(?:ai\s*(?:/|and)\s*ml|ml\s*(?:/|and)\s*ai)\s+(?:software\s+)?{_ENGINEER}", re.I),
    ),
    ("ai-platform", re.compile(rf"\b(?:ai|ml|machine learning)\s+platform\s+{_ENGINEER}", re.IGNORECASE)),
    ("applied-ml", re.compile(rf"\bapplied\s+(?:ml|machine learning)\s+{_ENGINEER}", re.IGNORECASE)),
    ("applied-scientist", re.compile(r"\bapplied\s+(?:research\s+)?scientist\b", re.IGNORECASE)),
    ("research-engineer", re.compile(rf"\bresearch\s+(?:software\s+)?{_ENGINEER}", re.IGNORECASE)),
    ("research-scientist", re.compile(r"\bresearch\s+scientist\b", re.IGNORECASE)),
    (
        "solutions-engineer",
        re.compile(
            rf"\bsolutions?\s+(?:{_ENGINEER}|architect\b)|\bforward[\s-]deployed\s+(?:software\s+)?{_ENGINEER}"
            rf"|\b(?:pre-?\s?sales|sales|customer)\s+{_ENGINEER}|\bapplied ai architect\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ml-engineer",
        re.compile(
            rf"\b(?:machine learning|ml)\s+(?:[^\W\d]+\s+){{0,2}}{_ENGINEER}|\bmlops\s+{_ENGINEER}"
            r"|\bing[ée]nieur\S*\s+(?:en\s+)?(?:machine learning|ml)\b",
            re.IGNORECASE,
        ),
    ),
    ("platform-engineer", re.compile(rf"\bplatform\s+{_ENGINEER}", re.IGNORECASE)),
    ("ai-engineer", re.compile(rf"\b(?:gen(?:erative)?\s*ai|ai|llm)\s+(?:software\s+)?{_ENGINEER}", re.IGNORECASE)),
)
# A title's job is what comes before its first comma, dash, bracket or bar; the rest is its team.
_JOB_AND_TEAM = re.compile(r"^(?P<job>[^,(|:]+?)(?:\s+[-–—]\s+|\s*[,(|:]\s*)(?P<team>[^,(|:]+)")
_LEVEL_WORDS = re.compile(
    r"\b(?:senior|sr|staff|principal|distinguished|lead|junior|jr|mid-level|intermediate|new grad|founding"
    r"|intern|i{1,3}|iv|v|[1-5])\b\.?\+?|/",
    re.IGNORECASE,
)
_GENERIC_JOB = re.compile(
    r"(?:(?:software|backend|frontend|full[\s-]?stack)\s+)?engineer|mts"
    r"|ing[ée]nieur\S*\s+logiciel",
    re.IGNORECASE,
)
_TEAM_FAMILIES = (
    ("applied-ai-engineer", re.compile(r"applied ai\b", re.IGNORECASE)),
    ("applied-ml", re.compile(r"applied (?:ml|machine learning)\b", re.IGNORECASE)),
    ("ai-ml-engineer", re.compile(r"(?:ai\s*/\s*ml|ml\s*/\s*ai)\b", re.IGNORECASE)),
    ("ai-platform", re.compile(r"(?:ai|ml|machine learning) platform\b", re.IGNORECASE)),
    ("ai-product-engineer", re.compile(r"ai products?\b", re.IGNORECASE)),
    ("ml-engineer", re.compile(r"(?:machine learning|ml)(?:\s+(?:infrastructure|infra|systems))?\s*$", re.IGNORECASE)),
    ("ai-engineer", re.compile(r"(?:gen)?ai(?:\s+agents?)?\s*$", re.IGNORECASE)),
    ("platform-engineer", re.compile(r"(?:(?:core|data|cloud|infrastructure)\s+)?plate?forme?\b", re.IGNORECASE)),
)
_MTS = re.compile(r"\bmember of (?:the )?technical staff\b", re.IGNORECASE)
_PRODUCT_ENGINEER = re.compile(r"product\s+engineer", re.IGNORECASE)
_AI_TEAM = re.compile(r"ai\b", re.IGNORECASE)


def role_of(title: str) -> str:
    """The guide's role family slug for a title, or "" when none fits (see the module's rules)."""
    title = re.sub(r"^\s*\[[^\]]*\]\s*", "", title).replace("·", "")
    for slug, pattern in _DOMAIN_FAMILIES:
        if pattern.search(title):
            return slug
    if _NOT_A_JOB_FAMILY.search(title):
        return ""
    for slug, pattern in _JOB_FAMILIES:
        if pattern.search(title):
            return slug
    return _family_of_team(title)


def _family_of_team(title):
    """The family a generic job takes from its team: "Software Engineer, Machine Learning" is an ML Engineer."""
    parts = _JOB_AND_TEAM.match(title)
    if not parts:
        return ""
    job = " ".join(_LEVEL_WORDS.sub(" ", _MTS.sub("mts", parts["job"])).split())
    team = parts["team"].strip()
    if _PRODUCT_ENGINEER.fullmatch(job):
        return "ai-product-engineer" if _AI_TEAM.match(team) else ""
    if not _GENERIC_JOB.fullmatch(job):
        return ""
    return next((slug for slug, pattern in _TEAM_FAMILIES if pattern.match(team)), "")


# Workplace

_API_WORKPLACES = {
    "remote": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "inoffice": "onsite",
    "inperson": "onsite",
}
_NOT_REMOTE = re.compile(r"\b(?:not|no|non)[\s-]remote\b", re.IGNORECASE)
_TEXT_WORKPLACES = (
    ("remote", re.compile(r"\b(?:remote|remoto|anywhere|worldwide|work from home|wfh)\b", re.IGNORECASE)),
    ("hybrid", re.compile(r"\bhybri(?:d|de|do)\b", re.IGNORECASE)),
    ("onsite", re.compile(r"\b(?:on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based)\b", re.IGNORECASE)),
)


def workplace_of(api_value: str | None, is_remote: bool | None, locations: list[str]) -> str:
    """Remote, hybrid, onsite or unknown: the board's own field first, then what the location text says."""
    value = re.sub(r"[\s_-]", "", api_value or "").casefold()
    if value in _API_WORKPLACES:
        return _API_WORKPLACES[value]
    if is_remote is True:
        return "remote"
    text = _NOT_REMOTE.sub(" on-site ", " | ".join(locations))
    return next((workplace for workplace, pattern in _TEXT_WORKPLACES if pattern.search(text)), UNKNOWN)


# Pay


@dataclass(frozen=True)
class Pay:
    """A pay range in whole units of its currency."""

    min: int
    max: int
    currency: str  # ISO 4217, e.g. "USD"
    period: str  # "year", "month" or "hour"


_PERIOD_WORDS = {
    "year": {"year", "yearly", "annual", "annually", "annum", "salary", "yr"},
    "month": {"month", "monthly", "mo"},
    "hour": {"hour", "hourly", "hr"},
}
_PERIOD_FILLER = re.compile(r"^(?:per|a|an|1|one)\s+|\s+(?:salary|wage|rate)$")


def period_of(value: str) -> str | None:
    """A provider's pay interval ("per-year-salary", "1 HOUR", "annual") as "year", "month" or "hour"; else None.

    Weeks, days and one-off amounts give None: the guide states pay by the year, month or hour only.
    """
    words = " ".join(re.sub(r"[_\-/]", " ", value).casefold().split())
    if words not in _PERIOD_WORDS["year"]:
        words = _PERIOD_FILLER.sub("", _PERIOD_FILLER.sub("", words))
    return next((period for period, names in _PERIOD_WORDS.items() if words in names), None)


# Symbols and codes of currencies whose pay is stated in thousands (the sanity bounds below assume such units).
_SYMBOLS = {
    "$": "USD", "us$": "USD", "ca$": "CAD", "c$": "CAD", "a$": "AUD", "au$": "AUD", "nz$": "NZD", "s$": "SGD",
    "sg$": "SGD", "hk$": "HKD", "€": "EUR", "£": "GBP",
}  # fmt: skip
_CODES = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN"}
_DOLLARS = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD"}
_CURRENCY = r"(?:\b[A-Z]{1,3}\$|[$€£]|\b(?:" + "|".join(sorted(_CODES)) + r")\b)"


def _amount(side):
    """An amount: currency, number (thousands grouped by one kind of separator, maybe cents), K or M, currency."""
    grouped = rf"\d{{1,3}}(?P<{side}sep>[,.\s\u00a0\u202f])\d{{3}}(?:(?P={side}sep)\d{{3}})*(?:[.,]\d{{1,2}})?"
    number = rf"{grouped}|\d+(?:[.,]\d{{1,2}})?"
    return (
        rf"(?P<{side}pre>{_CURRENCY})?\s?(?<![\d.,])(?P<{side}num>{number})(?!\d)"
        rf"\s?(?P<{side}k>[kKmM]\b)?\s?(?P<{side}post>{_CURRENCY})?"
    )


_PAY_RANGE = re.compile(_amount("lo") + r"\s*(?:-|–|—|−|~|\bto\b|\band\b)\s*" + _amount("hi"))
# Words that state the period: right after the range ("$60 - $80 per hour") or, failing that, shortly before it.
_PERIOD_AFTER_WORDS = {
    "hour": r"per hour|an hour|hourly|/\s?h(?:ou)?r|par heure|pro stunde",
    "month": r"per month|a month|monthly|/\s?mo(?:nth)?|par mois|pro monat",
    "year": r"per (?:year|annum)|a year|annual(?:ly)?|yearly|/\s?y(?:ea)?r|p\.a\.|par an|pro jahr|jährlich",
}
_PERIOD_BEFORE_WORDS = {
    "hour": r"hourly|per hour|hour",
    "month": r"monthly|per month",
    "year": r"annual|annually|yearly|per year|per annum|salary|salaire|gehalt",
}
_PERIOD_AFTER = tuple(
    (period, re.compile(rf"^.{{0,40}}?(?<![^\W\d_])(?:{words})(?!\w)", re.IGNORECASE))
    for period, words in _PERIOD_AFTER_WORDS.items()
)
_PERIOD_BEFORE = tuple(
    (period, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for period, words in _PERIOD_BEFORE_WORDS.items()
)
# A range about the company or an award rather than the job's pay.
_NOT_PAY_BEFORE = re.compile(r"\b(?:raised|funding|valuation|revenue|arr|series [a-e]|customers|users)\b", re.I)
_NOT_PAY_AFTER = re.compile(
    r"^\s*(?:in|of|worth of)?\s*(?:equity|rsus?|stock|options|funding|valuation|revenue|arr|bonus|sign-on|signing"
    r"|relocation|stipend|in funding)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;!?\n]\s")
_HOURS_IN = {"year": Decimal(2080), "month": Decimal(2080) / 12, "hour": Decimal(1)}  # working hours in a period
MIN_PER_HOUR = 10
MAX_PER_YEAR = 5_000_000


def pay_from_text(text: str) -> Pay | None:
    """The first clear pay range in a description's plain text, or None.

    A range is two amounts joined by a dash, "to" or "and", with a currency on at least one side ("$180K-$240K",
    "€90.000 - €120.000", "£85,000 to £110,000 per annum", "CA$150,000 - CA$190,000"). The currency is kept as
    written: a bare "$" is USD unless a code says otherwise ("$150,000 - $190,000 CAD"); two different currencies
    give no pay. The period is the one the words say (an hour, a month, a year, annual, salary); with no such word a
    range of 20,000 or more is a year's pay and a smaller one is unclear. A range said to be funding, equity or a
    bonus is skipped, as are ranges with min above max, under 10 an hour or over 5,000,000 a year.
    """
    for match in _PAY_RANGE.finditer(text):
        pay = _pay_of(match, text)
        if pay is not None:
            return pay
    return None


def _pay_of(match, text):
    currencies = {_currency(match[side]) for side in ("lopre", "lopost", "hipre", "hipost") if match[side]}
    codes = currencies - {"$"}
    if not currencies or None in currencies or len(codes) > 1 or ("$" in currencies and not codes <= _DOLLARS):
        return None
    currency = codes.pop() if codes else "USD"
    low, high = _number(match["lonum"]), _number(match["hinum"])
    low_k, high_k = (match["lok"] or "").lower(), (match["hik"] or "").lower()
    if high_k and not low_k and low < 1000:
        low_k = high_k  # "$180-240K"
    low, high = low * _multiple(low_k), high * _multiple(high_k)
    before, after = text[max(0, match.start() - 100) : match.start()], text[match.end() : match.end() + 60]
    same_sentence = _SENTENCE_END.split(before)[-1][-40:]
    if _NOT_PAY_BEFORE.search(same_sentence) or _NOT_PAY_AFTER.match(after):
        return None
    period = next((period for period, words in _PERIOD_AFTER if words.match(after)), None)
    period = period or next((period for period, words in _PERIOD_BEFORE if words.search(before)), None)
    if period is None and low >= 20_000:
        period = "year"
    if period is None or low <= 0 or low > high:
        return None
    if low / _HOURS_IN[period] < MIN_PER_HOUR or high / _HOURS_IN[period] * _HOURS_IN["year"] > MAX_PER_YEAR:
        return None
    return Pay(min=_whole(low), max=_whole(high), currency=currency, period=period)


def _currency(token):
    """ISO code of a symbol or code, None for an unknown one; a bare "$" stays "$" for a dollar code to refine."""
    token = token.strip()
    if token == "$":
        return "$"
    return _SYMBOLS.get(token.casefold()) or (token if token in _CODES else None)


def _number(digits):
    """A written amount as a number: "180,000", "180.000" and "180 000" are thousands; "45.50" has cents."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", digits)
    grouped = re.fullmatch(r"(\d{1,3}(?:[,.]\d{2,3})+?)(?:[.,](\d{1,2}))?", digits)
    if grouped and re.fullmatch(r"\d{1,3}(?:[,.]\d{2,3})*[,.]\d{3}", grouped[1]):
        whole, cents = re.sub(r"[,.]", "", grouped[1]), grouped[2] or "0"
        return Decimal(f"{whole}.{cents}")
    return Decimal(digits.replace(",", "."))


def _multiple(suffix):
    return {"k": 1000, "m": 1_000_000}.get(suffix, 1)


def _whole(amount):
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# The labelled set


@dataclass(frozen=True)
class LabelledPosting:
    """One row of the labelled set: a posting as a board gives it and the answers a careful reader gives."""

    title: str
    location: str
    workplace_field: str  # the board's raw value; Ashby's flag as "isRemote=true" or "isRemote=false"
    level: str
    workplace: str
    role: str

    def classified(self) -> dict[str, str]:
        """What the rules say for this row, by field."""
        api_value, is_remote = self.workplace_field or None, None
        if self.workplace_field.startswith("isRemote="):
            api_value, is_remote = None, self.workplace_field == "isRemote=true"
        return {
            "level": level_of(self.title),
            "workplace": workplace_of(api_value, is_remote, [self.location] if self.location else []),
            "role": role_of(self.title),
        }


@dataclass(frozen=True)
class Miss:
    title: str
    expected: str
    got: str


@dataclass(frozen=True)
class FieldScore:
    correct: int
    total: int
    misses: tuple[Miss, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def read_labelled(path: str | Path) -> list[LabelledPosting]:
    """The labelled set from its CSV (columns title, location, workplace_field, level, workplace, role)."""
    with open(path, newline="", encoding="utf-8") as file:
        return [
            LabelledPosting(**{name: row[name] or "" for name in LabelledPosting.__annotations__})
            for row in csv.DictReader(file)
        ]


def score(postings: list[LabelledPosting]) -> dict[str, FieldScore]:
    """How often the rules give each field's labelled answer, with the rows where they do not."""
    misses = {"level": [], "workplace": [], "role": []}
    for posting in postings:
        for field, got in posting.classified().items():
            expected = getattr(posting, field)
            if got != expected:
                misses[field].append(Miss(title=posting.title, expected=expected, got=got))
    return {
        field: FieldScore(correct=len(postings) - len(missed), total=len(postings), misses=tuple(missed))
        for field, missed in misses.items()
    }


def fields_below_floor(scores: dict[str, FieldScore]) -> list[str]:
    """The fields whose accuracy is under its floor, each said as e.g. "level 93.1% (floor 95%)"."""
    return [
        f"{field} {scores[field].accuracy:.1%} (floor {floor:.0%})"
        for field, floor in ACCURACY_FLOORS.items()
        if scores[field].accuracy < floor
    ]
