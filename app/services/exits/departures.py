""""Ce que coûte un départ aujourd'hui": the lawful ways out of a subscription open to this learner today, side by
side, each with what confirming it charges or refunds and when access ends, and the cheapest named.

Each exit is decided by its own service predicate (subscriptions.can_cancel, withdrawal.state,
termination.is_open, force_majeure.can_ask); the amounts are those the confirmation pages show and charge.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.models import PaymentTransaction, Subscription
from app.services.billing import summary
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.exits import force_majeure, termination, withdrawal
from app.services.exits.kinds import ExitKind


@dataclass(frozen=True)
class Departure:
    kind: ExitKind
    to_pay_cents: int  # charged when it is confirmed
    refunded_cents: int  # paid back when it is confirmed
    access_until: datetime | None  # None: access ends when it is confirmed (or decided)
    open_until: datetime | None = None  # the last moment it can be chosen, when it has one
    decided_by_team: bool = False

    @property
    def net_cost_cents(self) -> int:
        return self.to_pay_cents - self.refunded_cents


@dataclass(frozen=True)
class Departures:
    options: list[Departure]
    cheapest: Departure | None  # of those the learner decides alone: the least money, then the longest access
    withdrawal: withdrawal.WithdrawalState  # read once here: the Premium tab explains it too


def _cheapest(options: list[Departure]) -> Departure | None:
    decided_alone = [option for option in options if not option.decided_by_team]
    if not decided_alone:
        return None
    now = clock.now()
    return min(decided_alone, key=lambda option: (option.net_cost_cents,
                                                  -((option.access_until or now) - now).total_seconds()))


def today(subscription: Subscription, rate_percent: int,
          transactions: Iterable[PaymentTransaction] | None = None) -> Departures:
    """The exits open today. `transactions`: the learner's, when the caller has read them already (the Premium
    tab has): what was paid for this subscription is counted from them."""
    paid = (summary.net_paid(row for row in transactions if row.subscription_id == subscription.id)
            if transactions is not None else termination.paid_for(subscription))
    options = []
    withdrawal_state = withdrawal.state(subscription)
    if subscriptions.can_cancel(subscription):
        options.append(Departure(ExitKind.CANCEL, 0, 0, None if subscriptions.ends_at_once_if_cancelled(subscription)
                                 else subscription.current_period_end))
    if withdrawal_state.possible:
        options.append(Departure(ExitKind.WITHDRAW, 0, max(paid, 0), None, withdrawal_state.deadline))
    if termination.is_open(subscription):
        quote = termination.quote(subscription, rate_percent, paid)
        options.append(Departure(ExitKind.TERMINATE, quote.remaining_due_cents, quote.refund_cents, None,
                                 quote.window_ends_at))
    if force_majeure.can_ask(subscription):
        options.append(Departure(ExitKind.FORCE_MAJEURE, 0, 0, None, decided_by_team=True))
    return Departures(options, _cheapest(options), withdrawal_state)
