"""A signed notification is checked against what it pays for: merchant account, currency, amount and the
order's state; a refund never gives back more than remains of its payment, and may arrive before it."""

import pytest

from app.extensions import db
from app.models import Invoice, Order, PaymentTransaction, ProcessedNotification, Subscription
from app.models.commerce import OrderStatus
from app.models.invoice import InvoiceKind
from app.models.payment import NotificationOutcome, TransactionKind
from app.services.payments import adyen
from tests import checkout_flow as flow

MERCHANT = "SimulatedMerchant"



def authorisation(reference, value=2000, currency="EUR", psp="PSPAUTH0001", merchant=MERCHANT, success="true"):
    return {"eventCode": "AUTHORISATION", "success": success, "pspReference": psp, "merchantReference": reference,
            "merchantAccountCode": merchant, "eventDate": "2026-11-26T10:00:00+01:00", "reason": "",
            "amount": {"value": value, "currency": currency},
            "additionalData": {"paymentMethod": "visa", "cardSummary": "1111",
                               "tokenization.storedPaymentMethodId": "TOKEN123"}}


def refund(value, currency="EUR", psp="PSPREFUND01", original="PSPAUTH0001", event="REFUND"):
    return {"eventCode": event, "success": "true", "pspReference": psp, "originalReference": original,
            "merchantReference": f"RET-{psp}", "merchantAccountCode": MERCHANT,
            "eventDate": "2026-11-27T10:00:00+01:00", "amount": {"value": value, "currency": currency}, "reason": ""}


def post(app, client, *items):
    body = adyen.notification_body(list(items), app.extensions["payment_gateway"].hmac_key)
    return client.post("/webhooks/paiement", data=body, content_type="application/json")


def marker(psp):
    return db.session.query(ProcessedNotification).filter_by(psp_reference=psp).one()


def test_a_signed_authorisation_of_one_cent_in_dollars_from_another_account_for_a_draft_changes_nothing(app, client):
    reference = flow.start(client)
    flow.details(client, reference)
    response = post(app, client, authorisation(reference, value=1, currency="USD", merchant="SomeoneElse"))
    assert response.status_code == 200 and response.get_data(as_text=True) == "[accepted]"
    assert db.session.query(Order).one().status == OrderStatus.DRAFT
    assert db.session.query(Subscription).count() == db.session.query(Invoice).count() == 0
    assert db.session.query(PaymentTransaction).count() == 0
    kept = marker("PSPAUTH0001")
    assert kept.outcome == NotificationOutcome.REJECTED and "SomeoneElse" in kept.reason


@pytest.mark.parametrize(("value", "currency", "why"), [(1, "EUR", "amount 1"), (2000, "USD", "currency USD")])
def test_an_authorisation_of_another_amount_or_currency_than_reviewed_changes_nothing(app, client, paying_order,
                                                                                       value, currency, why):
    post(app, client, authorisation(paying_order.reference, value=value, currency=currency))
    assert db.session.query(Order).one().status == OrderStatus.PAYING
    assert db.session.query(Subscription).count() == db.session.query(Invoice).count() == 0
    assert why in marker("PSPAUTH0001").reason
    # The genuine notification still pays the order.
    post(app, client, authorisation(paying_order.reference, psp="PSPAUTH0002"))
    assert db.session.query(Order).one().status == OrderStatus.PAID
    assert db.session.query(Invoice).count() == 1


def test_an_authorisation_for_a_draft_order_is_refunded_at_once_and_never_fulfils_it(app, client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)  # reviewed at 20 €, but never validated
    post(app, client, authorisation(reference))
    assert db.session.query(Order).one().status == OrderStatus.DRAFT
    assert db.session.query(Subscription).count() == db.session.query(Invoice).count() == 0
    assert marker("PSPAUTH0001").outcome == NotificationOutcome.REJECTED
    kinds = sorted((t.kind, t.amount_cents) for t in db.session.query(PaymentTransaction))
    assert kinds == [(TransactionKind.CHARGE, 2000), (TransactionKind.REFUND, 2000)]


def test_an_authorisation_for_a_plus_order_in_its_reflection_period_changes_nothing(app, client):
    reference = flow.start(client, "/parcours/developpeur-application-python/demarrer")
    flow.details(client, reference)
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    flow.validate(client, reference)
    order = db.session.query(Order).one()
    assert order.status == OrderStatus.ACCEPTED
    post(app, client, authorisation(reference, value=order.first_charge_cents))
    subscription = db.session.query(Subscription).one()
    assert subscription.status == "reflection" and subscription.started_at is None
    assert db.session.query(Invoice).count() == 0
    assert "not awaiting payment" in marker("PSPAUTH0001").reason


def test_a_second_payment_of_a_paid_order_is_refunded_at_once(app, client, paying_order):
    post(app, client, authorisation(paying_order.reference))
    post(app, client, authorisation(paying_order.reference, psp="PSPAUTH0002"))
    assert db.session.query(Invoice).filter_by(kind=InvoiceKind.INVOICE).count() == 1
    second = db.session.query(PaymentTransaction).filter_by(psp_reference="PSPAUTH0002").one()
    assert second.subscription_id is None and second.reason.startswith("refunded at once")
    given_back = db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).one()
    assert given_back.original_id == second.id and given_back.amount_cents == 2000


def test_a_refund_never_gives_back_more_than_remains_of_its_payment(app, client, paying_order):
    post(app, client, authorisation(paying_order.reference))
    post(app, client, refund(999_999, psp="PSPHUGE"))
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).count() == 0
    assert db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).count() == 0
    assert "beyond the 2000 left" in marker("PSPHUGE").reason
    post(app, client, refund(1500, psp="PSPPART1"))
    post(app, client, refund(600, psp="PSPPART2"))  # 15 € + 6 € > 20 €
    post(app, client, refund(500, psp="PSPPART3"))
    refunds = [t.amount_cents for t in db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND)]
    assert sorted(refunds) == [500, 1500]
    assert marker("PSPPART2").outcome == NotificationOutcome.REJECTED
    notes = db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).all()
    assert sorted(note.amount_ttc_cents for note in notes) == [500, 1500]


def test_a_refund_in_yen_is_not_recorded_as_euros(app, client, paying_order):
    post(app, client, authorisation(paying_order.reference))
    post(app, client, refund(2000, currency="JPY"))
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).count() == 0
    assert db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).count() == 0
    assert "currency JPY" in marker("PSPREFUND01").reason


def test_a_refund_that_arrives_before_its_payment_is_applied_when_the_payment_arrives(app, client, paying_order):
    post(app, client, refund(2000))
    assert marker("PSPREFUND01").outcome == NotificationOutcome.PENDING
    assert db.session.query(PaymentTransaction).count() == 0
    post(app, client, authorisation(paying_order.reference))
    post(app, client, refund(2000))  # the provider delivers it again: nothing more
    kinds = sorted(t.kind for t in db.session.query(PaymentTransaction))
    assert kinds == [TransactionKind.CHARGE, TransactionKind.REFUND]
    assert marker("PSPREFUND01").outcome == NotificationOutcome.APPLIED
    assert db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_the_same_refund_delivered_twice_is_recorded_once(app, client, paying_order):
    post(app, client, authorisation(paying_order.reference))
    for _ in range(2):
        assert post(app, client, refund(2000)).status_code == 200
    assert db.session.query(PaymentTransaction).filter_by(kind=TransactionKind.REFUND).count() == 1
    assert db.session.query(Invoice).filter_by(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_a_payment_method_verification_is_of_zero(app, client):
    from tests.factories import subscriber

    user = subscriber("verif@example.org")
    client.post("/connexion", data={"email": user.email, "password": "une phrase de passe solide"})
    client.post("/compte/parametres/premium/moyen-de-paiement", data={"method": "card"})
    from app.models import PaymentMethodUpdate

    update = db.session.query(PaymentMethodUpdate).one()
    reference = f"PMU-{update.id}"  # the reference the provider's page was opened with
    post(app, client, authorisation(reference, value=2000))
    assert db.session.query(PaymentMethodUpdate).one().status == "open"
    assert db.session.query(Subscription).one().stored_method_id == "tok"
    post(app, client, authorisation(reference, value=0, psp="PSPAUTH0002"))
    assert db.session.query(Subscription).one().stored_method_id == "TOKEN123"


@pytest.mark.parametrize("item", [
    {"pspReference": "P" * 5000},
    {"merchantReference": "CMD-" + "9" * 5000},
    {"amount": {"value": 10**12, "currency": "EUR"}},
    {"amount": {"value": -5, "currency": "EUR"}},
    {"amount": {"value": 2000, "currency": "EURO"}},
    {"pspReference": "PSP\x00NUL"},
])
def test_a_signed_notification_with_values_no_column_holds_is_refused_without_an_error(app, client, paying_order,
                                                                                      item):
    response = post(app, client, {**authorisation(paying_order.reference), **item})
    assert response.status_code == 400 and response.get_data(as_text=True) == "unusable notification"
    assert db.session.query(ProcessedNotification).count() == 0
    assert db.session.query(Order).one().status == OrderStatus.PAYING


def test_staff_list_the_notifications_kept_without_effect(app, client, paying_order):
    post(app, client, authorisation(paying_order.reference, value=1, psp="PSPODD"))
    post(app, client, refund(2000, psp="PSPEARLY", original="PSPNOTYET"))
    output = app.test_cli_runner().invoke(args=["billing", "notifications"]).output
    lines = output.splitlines()
    assert any("rejected" in line and "PSPODD" in line and "amount 1 instead of 2000" in line for line in lines)
    assert any("pending" in line and "PSPEARLY" in line for line in lines)


def test_a_reference_is_handled_by_its_kind_alone(app, client, paying_order):
    """A settlement's reference ("REG-") is looked up as a renewal and nothing else: with no such renewal it is
    rejected with its reason, even when an order carries that very string."""
    paying_order.reference = "REG-999-1"
    db.session.commit()
    post(app, client, authorisation("REG-999-1"))
    kept = marker("PSPAUTH0001")
    assert kept.outcome == NotificationOutcome.REJECTED and "no renewal 999" in kept.reason
    assert db.session.query(Order).one().status == OrderStatus.PAYING
    assert db.session.query(Subscription).count() == db.session.query(PaymentTransaction).count() == 0


@pytest.mark.parametrize("reference", ["ORD-000042", "CMD-1999-{id:06d}", "CMD-{year}-{other:06d}", "PMU-{id}",
                                       "RET-{id}", "REN-{id}-20260105"])
def test_an_authorisation_for_no_order_of_its_kind_is_rejected_and_changes_nothing(app, client, paying_order,
                                                                                    reference):
    post(app, client, authorisation(reference.format(id=paying_order.id, other=paying_order.id + 1,
                                                     year=paying_order.created_at.year)))
    kept = marker("PSPAUTH0001")
    assert kept.outcome == NotificationOutcome.REJECTED and kept.reason
    assert db.session.query(Order).one().status == OrderStatus.PAYING
    assert db.session.query(PaymentTransaction).count() == 0
    # Its own reference still pays the order.
    post(app, client, authorisation(paying_order.reference, psp="PSPAUTH0002"))
    assert db.session.query(Order).one().status == OrderStatus.PAID
