"""What a refused payment means for the person paying: the provider's reason (Adyen's `refusalReason`, in English,
meant for merchants) read as one of a few kinds, each with a sentence in the reader's language (app/labels.py).
The raw reason is kept on the transaction for the team; the learner is never shown it."""

import enum


class RefusalKind(enum.StrEnum):
    FUNDS = "funds"  # balance or spending limit
    EXPIRED = "expired"
    SECURITY_CODE = "security_code"
    CARD_NUMBER = "card_number"
    AUTHENTICATION = "authentication"  # 3-D Secure not completed
    CARD_BLOCKED = "card_blocked"  # the card does not allow this payment
    BANK_UNAVAILABLE = "bank_unavailable"  # worth trying again in a few minutes
    OTHER = "other"


# Adyen's documented refusal reasons, lower-cased ("Refused", "Not enough balance", "CVC Declined"...).
_KINDS = {
    "not enough balance": RefusalKind.FUNDS,
    "withdrawal amount exceeded": RefusalKind.FUNDS,
    "withdrawal count exceeded": RefusalKind.FUNDS,
    "expired card": RefusalKind.EXPIRED,
    "cvc declined": RefusalKind.SECURITY_CODE,
    "invalid card number": RefusalKind.CARD_NUMBER,
    "3d not authenticated": RefusalKind.AUTHENTICATION,
    "3ds authentication error": RefusalKind.AUTHENTICATION,
    "authentication required": RefusalKind.AUTHENTICATION,
    "blocked card": RefusalKind.CARD_BLOCKED,
    "restricted card": RefusalKind.CARD_BLOCKED,
    "transaction not permitted": RefusalKind.CARD_BLOCKED,
    "not supported": RefusalKind.CARD_BLOCKED,
    "issuer unavailable": RefusalKind.BANK_UNAVAILABLE,
    "acquirer error": RefusalKind.BANK_UNAVAILABLE,
}


def kind_of(reason: str | None) -> RefusalKind:
    return _KINDS.get((reason or "").strip().lower(), RefusalKind.OTHER)
