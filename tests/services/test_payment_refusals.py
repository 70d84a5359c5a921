"""A refused payment is explained to the learner by what it means, never by the provider's words for merchants."""

import pytest

from app.i18n import force_language
from app.labels import label
from app.services.payments.refusals import RefusalKind, kind_of


@pytest.mark.parametrize("reason, kind", [
    ("Not enough balance", RefusalKind.FUNDS),
    ("Expired Card", RefusalKind.EXPIRED),
    ("CVC Declined", RefusalKind.SECURITY_CODE),
    ("3D Not Authenticated", RefusalKind.AUTHENTICATION),
    ("Issuer Unavailable", RefusalKind.BANK_UNAVAILABLE),
    ("  blocked card ", RefusalKind.CARD_BLOCKED),
    ("Refused", RefusalKind.OTHER),
    ("FRAUD", RefusalKind.OTHER),
    (None, RefusalKind.OTHER),
])
def test_each_provider_reason_is_read_as_what_it_means_for_the_learner(reason, kind):
    assert kind_of(reason) == kind


def test_the_explanation_is_in_the_readers_language(app):
    with app.test_request_context(), force_language("en"):
        assert label(RefusalKind.EXPIRED) == "Your card has expired: use another one."
    with app.test_request_context(), force_language("fr"):
        assert label(RefusalKind.EXPIRED) == "Votre carte est expirée : utilisez-en une autre."
