"""Late interest at the legal rate and the 40 € recovery fee on unpaid sums (art. 3.2)."""

from datetime import date
from decimal import Decimal

import pytest

from app.services.billing import late_payment
from app.services.billing.late_payment import Rate

RATES = [Rate(date(2025, 1, 1), Decimal("7.30")), Rate(date(2025, 7, 1), Decimal("3.65"))]


@pytest.mark.clause("CGS-3.2-02")
def test_interest_runs_day_by_day_from_the_day_after_the_due_date():
    # 10 days at 7.30 % a year on 100,00 €: 100 × 0.073 × 10 / 365 = 0.20 €
    assert late_payment.late_interest_cents(10000, date(2025, 3, 1), date(2025, 3, 11), RATES) == 20
    assert late_payment.late_interest_cents(10000, date(2025, 3, 1), date(2025, 3, 1), RATES) == 0


@pytest.mark.clause("CGS-3.2-02")
def test_each_day_takes_the_rate_of_its_semester():
    # 30 June at 7.30 % (2 cents) + 1 July at 3.65 % (1 cent) on 100,00 €: 0.02 + 0.01
    assert late_payment.late_interest_cents(10000, date(2025, 6, 29), date(2025, 7, 1), RATES) == 3


@pytest.mark.clause("CGS-3.2-02")
def test_the_statement_adds_the_flat_40_euro_recovery_fee():
    statement = late_payment.statement(2000, date(2025, 3, 1), date(2025, 3, 31), RATES)
    assert statement.recovery_fee_cents == 4000 and statement.rate_percent == Decimal("7.30")


def test_the_shipped_rate_table_is_ordered_and_used_after_its_last_entry():
    rates = late_payment.load_rates()
    assert [r.starts_on for r in rates] == sorted(r.starts_on for r in rates)
    assert late_payment.rate_on(date(2030, 1, 1), rates) == rates[-1].percent
