"""The ways out of a subscription, named once: the labels (app/labels.py) import this alone, not the rules."""

import enum


class ExitKind(enum.StrEnum):
    CANCEL = "cancel"  # at the end of the paid period (at once when a renewal is unpaid)
    WITHDRAW = "withdraw"  # Premium Solo, 14 days, before any premium access: everything refunded
    TERMINATE = "terminate"  # Premium Plus, first three months: L444-8 indemnity
    FORCE_MAJEURE = "force_majeure"  # Premium Plus: no indemnity, if Student Success accepts the reason
