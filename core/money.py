"""Pay as the guide writes it, in whole US dollars: "$200K", "$125K-160K", "+$5K". The one place that formats money."""


def format_usd(amount: int) -> str:
    """200000 -> "$200K", 1500000 -> "$1.5M", 123456 -> "$123,456"."""
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"${amount / 1_000_000:g}M"
    if amount and amount % 1000 == 0:
        return f"${amount // 1000}K"
    return f"${amount:,}"


def usd_range(low: int, high: int, *, open_ended: bool = False) -> str:
    """125000, 160000 -> "$125K-160K"; open-ended, "$200K-400K+"."""
    return f"{format_usd(low)}-{format_usd(high).removeprefix('$')}{'+' if open_ended else ''}"


def usd_change(amount: int) -> str:
    """5000 -> "+$5K", -10000 -> "−$10K", 0 -> "no change"."""
    if amount == 0:
        return "no change"
    return f"{'+' if amount > 0 else '−'}{format_usd(abs(amount))}"


# Symbols the guide writes before an amount; any other currency is written with its ISO code ("CHF 180K").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money_range(low: int, high: int, currency: str) -> str:
    """A range in its own currency, never converted: "$180K-240K", "€90K-120K", "CHF 150K-190K", "$60-80", and
    "$154,000-254,500" when a figure is not a round thousand (so a range never mixes the two ways)."""
    round_thousands = low % 1000 == 0 and high % 1000 == 0
    text = usd_range(low, high).removeprefix("$") if round_thousands else f"{low:,}-{high:,}"
    if currency in CURRENCY_SYMBOLS:
        return f"{CURRENCY_SYMBOLS[currency]}{text}"
    return f"{currency} {text}"
