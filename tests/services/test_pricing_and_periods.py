"""Money and months: VAT inside TTC prices, promo discounts, monthly periods across month ends and years."""

from datetime import UTC, date, datetime

import pytest

from app.models import PromoCode
from app.models.commerce import DiscountKind
from app.services.commerce import pricing
from app.services.common.periods import add_months


@pytest.mark.parametrize(("ttc", "vat"), [(2000, 333), (30000, 5000), (1, 0), (3, 1), (2999, 500), (10, 2)])
def test_vat_is_the_twentieth_part_of_a_ttc_price_rounded_half_up(ttc, vat):
    assert pricing.vat_included(ttc) == vat


def test_round_half_up_rounds_halves_up():
    assert pricing.round_half_up(5, 2) == 3 and pricing.round_half_up(7, 2) == 4 and pricing.round_half_up(1, 3) == 0


@pytest.mark.clause("CGS-4-01")
def test_promo_discounts_by_percentage_or_amount_never_below_zero():
    percent = PromoCode(code="P", kind=DiscountKind.PERCENT, value=15, months=2, valid_from=date(2026, 1, 1),
                        valid_until=date(2027, 1, 1))
    amount = PromoCode(code="A", kind=DiscountKind.AMOUNT, value=5000, months=1, valid_from=date(2026, 1, 1),
                       valid_until=date(2027, 1, 1))
    assert pricing.discount_for(percent, 2990) == 449  # 448.5 rounded half up
    assert pricing.discount_for(amount, 2000) == 2000
    quote = pricing.quote(2990, percent)
    assert (quote.first_charge_cents, quote.renewal_cents, quote.discounted_months) == (2541, 2990, 2)


@pytest.mark.parametrize(("start", "months", "end"), [
    (datetime(2027, 1, 31, 9, tzinfo=UTC), 1, datetime(2027, 2, 28, 9, tzinfo=UTC)),
    (datetime(2028, 1, 31, 9, tzinfo=UTC), 1, datetime(2028, 2, 29, 9, tzinfo=UTC)),  # leap year
    (datetime(2026, 12, 15, 9, tzinfo=UTC), 1, datetime(2027, 1, 15, 9, tzinfo=UTC)),  # across the year
    (datetime(2026, 3, 31, 9, tzinfo=UTC), 1, datetime(2026, 4, 30, 9, tzinfo=UTC)),
    (datetime(2026, 8, 31, 9, tzinfo=UTC), 6, datetime(2027, 2, 28, 10, tzinfo=UTC)),  # 11:00 in Paris both
])
def test_a_month_later_is_clamped_to_the_end_of_shorter_months(start, months, end):
    assert add_months(start, months) == end


def test_a_month_later_keeps_the_paris_time_across_daylight_saving():
    from app.services.common import clock

    start = datetime(2027, 2, 28, 10, 0, tzinfo=clock.PARIS)  # UTC+1
    assert add_months(start.astimezone(UTC), 1).astimezone(clock.PARIS) == datetime(2027, 3, 28, 10, 0,
                                                                                     tzinfo=clock.PARIS)  # UTC+2
