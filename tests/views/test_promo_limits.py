"""A promo code with a usage limit is checked when typed, again at "Valider" and again at the payment, under a
lock: a code for one use pays once, and nobody is charged another amount than the one reviewed."""

import logging
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Invoice, Order, PromoCode
from app.models.commerce import DiscountKind, OrderStatus
from app.services.common import clock
from tests import checkout_flow as flow
from tests.banners import PROBLEM_MESSAGE
from tests.conftest import text_of


@pytest.fixture
def one_use_code(app):
    clock.freeze(datetime(2027, 3, 1, 10, 0, tzinfo=clock.PARIS))
    db.session.add(PromoCode(code="UNEFOIS", kind=DiscountKind.PERCENT, value=50, months=1,
                             valid_from=date(2027, 1, 1), valid_until=date(2027, 12, 31), max_uses=1, active=True))
    db.session.commit()
    return "UNEFOIS"


def reviewed_with_code(app, index: int, code: str):
    """A learner of their own, at the review with the code typed (each sees 10 € today)."""
    client = app.test_client()
    reference = flow.start(client, email=f"promo{index}@example.org")
    flow.details(client, reference)
    assert flow.payment_step(client, reference, promo=code).status_code == 302
    assert flow.reviewed_amount(client, reference) == 1000
    return client, reference


def test_a_promo_code_for_one_use_pays_once_when_three_learners_validate_it(app, one_use_code):
    learners = [reviewed_with_code(app, index, one_use_code) for index in range(3)]
    first = flow.validate(*learners[0])
    assert "/paiement-simule/" in first.headers["Location"]
    for client, reference in learners[1:]:
        response = flow.validate(client, reference, amount=1000)
        assert response.headers["Location"].endswith(f"/commande/{reference}/verification")
        page = flow.soup(client.get(f"/commande/{reference}/verification"))
        assert "Le code promo UNEFOIS vient d'être utilisé autant de fois que prévu" in text_of(
            page.select_one(PROBLEM_MESSAGE))
        assert "20,00 €" in text_of(page.select_one("#amount-today"))  # the review again, at the new price
        assert db.session.query(Order).filter_by(reference=reference).one().status == OrderStatus.DRAFT
    flow.pay(learners[0][0], first.headers["Location"].removeprefix(flow.BASE))
    code = db.session.query(PromoCode).filter_by(code=one_use_code).one()
    paid_with_code = db.session.query(Order).filter_by(promo_code_id=code.id, status=OrderStatus.PAID).count()
    assert paid_with_code == 1
    # The second learner checked the new amount and validates it: charged exactly that.
    client, reference = learners[1]
    second = flow.validate(client, reference)
    flow.pay(client, second.headers["Location"].removeprefix(flow.BASE))
    order = db.session.query(Order).filter_by(reference=reference).one()
    assert order.status == OrderStatus.PAID and order.first_charge_cents == 2000
    assert sorted(invoice.amount_ttc_cents for invoice in db.session.query(Invoice)) == [1000, 2000]


def test_a_payment_that_arrives_after_the_code_ran_out_is_kept_at_the_reviewed_price(app, one_use_code, caplog):
    late_client, late_reference = reviewed_with_code(app, 0, one_use_code)
    late = flow.validate(late_client, late_reference)
    clock.advance(timedelta(hours=2))  # the hold of a "Valider" ends with the provider's page
    client, reference = reviewed_with_code(app, 1, one_use_code)
    flow.pay(client, flow.validate(client, reference).headers["Location"].removeprefix(flow.BASE))
    with caplog.at_level(logging.WARNING):
        flow.pay(late_client, late.headers["Location"].removeprefix(flow.BASE))
    order = db.session.query(Order).filter_by(reference=late_reference).one()
    assert order.status == OrderStatus.PAID and order.first_charge_cents == 1000
    assert db.session.query(Invoice).filter_by(order_id=order.id).one().amount_ttc_cents == 1000
    assert any("beyond its usage limit" in record.getMessage() for record in caplog.records)
