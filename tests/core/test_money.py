"""Pay as the guide writes it: dollars as "$200K", and other currencies in their own units, never converted."""

import pytest

from core.money import money_range


@pytest.mark.parametrize(
    ("low", "high", "currency", "text"),
    [
        (180000, 240000, "USD", "$180K-240K"),
        (90000, 120000, "EUR", "€90K-120K"),
        (85000, 110000, "GBP", "£85K-110K"),
        (150000, 190000, "CHF", "CHF 150K-190K"),
        (60, 80, "USD", "$60-80"),
        (154000, 254500, "USD", "$154,000-254,500"),
        (1000000, 1500000, "USD", "$1M-1.5M"),
    ],
)
def test_money_range_keeps_its_currency_and_one_way_of_writing(low, high, currency, text):
    assert money_range(low, high, currency) == text
