"""The merchant references the portal gives the provider: what a payment is for, written into the reference.

A provider's notification carries back only the reference it was given, so the reference names its own kind
(a prefix) and the rows it is about (the parts after it): a notification is routed by that kind alone, and the
handler of that kind finds its row from the parts. `make` writes every reference and `parse` reads them back;
the strings are the ones stored in orders, transactions and notifications since the first payment, so their
layout never changes.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime

SEPARATOR = "-"


class Kind(enum.Enum):
    """What a reference pays for, by its prefix."""

    ORDER = "CMD"  # the first payment of an order: CMD-2026-000042 (the year it was made, the order)
    RENEWAL = "REN"  # a period charged by the billing run: REN-7-20260105 (the subscription, the period's start)
    SETTLEMENT = "REG"  # "Régler", an overdue period paid on the provider's page: REG-12-2 (the renewal, the page)
    METHOD_UPDATE = "PMU"  # a new payment method verified for zero: PMU-5 (the update)
    TERMINATION = "RES"  # the rest of the indemnity of an early termination: RES-7 (the subscription)
    WITHDRAWAL_REFUND = "RET"  # a charge refunded on withdrawal: RET-9 (the charge)
    TERMINATION_EXCESS_REFUND = "RTP"  # paid beyond an early termination's indemnity, refunded: RTP-9 (the charge)
    UNWANTED_REFUND = "REM"  # a payment taken for nothing, refunded at once: REM-9 (the charge recorded for it)


Part = int | date

# How each kind writes its parts, as format specifications: "d" and "06d" for a row id or a number, "%Y%m%d"
# for a day.
LAYOUTS: dict[Kind, tuple[str, ...]] = {
    Kind.ORDER: ("04d", "06d"),
    Kind.RENEWAL: ("d", "%Y%m%d"),
    Kind.SETTLEMENT: ("d", "d"),
    Kind.METHOD_UPDATE: ("d",),
    Kind.TERMINATION: ("d",),
    Kind.WITHDRAWAL_REFUND: ("d",),
    Kind.TERMINATION_EXCESS_REFUND: ("d",),
    Kind.UNWANTED_REFUND: ("d",),
}
# Trailing parts a reference may leave off: a settlement's refund names the overdue period, not the page on
# which it was paid ("REG-12").
OPTIONAL_TAIL: dict[Kind, int] = {Kind.SETTLEMENT: 1}
_DAY = "%Y%m%d"
MAX_DIGITS = 18


# Which part is the id of the row a reference names (the first, unless said here).
ROW_PART: dict[Kind, int] = {Kind.ORDER: 1}


@dataclass(frozen=True)
class Reference:
    kind: Kind
    parts: tuple[Part, ...]

    @property
    def id(self) -> int:
        """The id of the row it names: the order, the subscription (a renewal, a termination), the renewal
        (a settlement), the update, the charge (a refund)."""
        row_id = self.parts[ROW_PART.get(self.kind, 0)]
        if not isinstance(row_id, int):
            raise TypeError(f"{self.kind.name} names no row by {row_id!r}")
        return row_id


def make(kind: Kind, *parts: Part) -> str:
    """The reference of `kind` for these parts, e.g. make(Kind.RENEWAL, 7, period_start) == "REN-7-20260105"."""
    layout = LAYOUTS[kind]
    if not len(layout) - OPTIONAL_TAIL.get(kind, 0) <= len(parts) <= len(layout):
        raise ValueError(f"{kind.name} takes {len(layout)} parts, not {len(parts)}")
    written: list[str] = []
    for spec, part in zip(layout, parts, strict=False):
        if (spec == _DAY) != isinstance(part, date):
            raise TypeError(f"{kind.name}: part {part!r} does not fit the format {spec!r}")
        written.append(format(part, spec))
    return SEPARATOR.join([kind.value, *written])


def _read(spec: str, text: str) -> Part | None:
    if spec == _DAY:
        try:
            return datetime.strptime(text, _DAY).date()
        except ValueError:
            return None
    # A row id or a number: a few digits (a provider's field may hold thousands, more than int() reads).
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS else None


def parse(reference: str) -> Reference | None:
    """The kind and parts of a reference this portal made; None for anything else (another prefix, parts
    missing or of the wrong form, or not written exactly as `make` writes them)."""
    prefix, _, rest = reference.partition(SEPARATOR)
    kind = next((kind for kind in Kind if kind.value == prefix), None)
    if kind is None or not rest:
        return None
    layout = LAYOUTS[kind]
    texts = rest.split(SEPARATOR)
    if not len(layout) - OPTIONAL_TAIL.get(kind, 0) <= len(texts) <= len(layout):
        return None
    parts = [_read(spec, text) for spec, text in zip(layout, texts, strict=False)]
    if any(part is None for part in parts):
        return None
    parsed = tuple(part for part in parts if part is not None)
    # "REN-007-2026015" is not a reference this portal made, even though its parts can be read.
    return Reference(kind, parsed) if make(kind, *parsed) == reference else None
