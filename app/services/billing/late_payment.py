"""What an unpaid sum costs (art. 3.2 of the terms): late interest at the legal rate from the due date, and the
flat 40 € recovery fee. Shown to the learner on an overdue amount; never charged without their express
consent (art. 3: nothing extra is charged without it)."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

RATES_FILE = Path(__file__).resolve().parent.parent.parent / "content" / "legal_interest_rates.json"
RECOVERY_FEE_CENTS = 4000


@dataclass(frozen=True)
class Rate:
    starts_on: date
    percent: Decimal


def load_rates(path: Path = RATES_FILE) -> list[Rate]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted((Rate(date.fromisoformat(r["from"]), Decimal(r["percent"])) for r in data["rates"]),
                  key=lambda rate: rate.starts_on)


def rate_on(day: date, rates: list[Rate]) -> Decimal:
    """The rate in force that day: the latest one that had started (the last published one afterwards)."""
    started = [rate for rate in rates if rate.starts_on <= day]
    return (started[-1] if started else rates[0]).percent


def late_interest_cents(amount_cents: int, due_on: date, on: date, rates: list[Rate]) -> int:
    """Simple interest, day by day at each day's legal rate, on a 365-day year, from the day after the due
    date to `on` included; rounded half up to the cent."""
    total = Decimal(0)
    day = due_on + timedelta(days=1)
    while day <= on:
        total += Decimal(amount_cents) * rate_on(day, rates) / Decimal(100) / Decimal(365)
        day += timedelta(days=1)
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class OverdueStatement:
    amount_cents: int
    due_on: date
    interest_cents: int
    rate_percent: Decimal
    recovery_fee_cents: int


def statement(amount_cents: int, due_on: date, on: date, rates: list[Rate] | None = None) -> OverdueStatement:
    rates = rates or load_rates()
    return OverdueStatement(amount_cents, due_on, late_interest_cents(amount_cents, due_on, on, rates),
                            rate_on(on, rates), RECOVERY_FEE_CENTS)
