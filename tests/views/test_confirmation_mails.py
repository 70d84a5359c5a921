"""Every change of a subscription's state is confirmed by mail, in the learner's language, with its facts and dates:
the durable record of a cancellation (art. L215-1-1 Code de la consommation), of a withdrawal and its refund, of an
early termination and its indemnity, of an undo, a suspension and an end."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import GuardianApproval, OutboxMessage, PaymentTransaction, PromoCode, Subscription, User
from app.models.commerce import DiscountKind, GuardianStatus, OfferKind, SubscriptionStatus
from app.models.payment import TransactionKind
from app.services.commerce import subscriptions
from app.services.common import clock
from tests import checkout_flow as flow
from tests.billing_runs import run, subscribe
from tests.conftest import soup_of, text_of
from tests.factories import subscriber

LEARNER = flow.VISITOR["email"]


def mails_to(address: str) -> list[OutboxMessage]:
    return db.session.query(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id).all()


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")  # amounts are written with narrow spaces


def last_mail(address: str, subject_start: str = "") -> SimpleNamespace:
    """The last message to `address` (whose subject starts so), read as its recipient reads it (plain spaces)."""
    message = [mail for mail in mails_to(address) if mail.subject.startswith(subject_start)][-1]
    return SimpleNamespace(subject=message.subject, language=message.language, body_text=plain(message.body_text),
                           body_html=plain(message.body_html))


@pytest.fixture
def solo(client) -> Subscription:
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    return db.session.query(Subscription).one()


def test_a_cancellation_is_confirmed_by_mail_with_its_date_of_effect_and_how_to_undo_it(client, solo):
    clock.freeze(datetime(2027, 2, 10, 12, 0, tzinfo=clock.PARIS))
    client.post("/compte/parametres/premium/resilier")
    assert solo.status == SubscriptionStatus.CANCELLING
    message = last_mail(LEARNER)
    assert message.subject == "Votre résiliation est enregistrée : fin de l'abonnement le 28 février 2027"
    assert "le 10 février 2027 la résiliation de votre abonnement Premium Solo" in message.body_text
    assert "aucun autre prélèvement ne sera fait" in message.body_text
    assert "http://127.0.0.1:5000/compte/parametres/premium" in message.body_text
    assert "Ce message confirme votre résiliation" in message.body_html

    client.post("/compte/parametres/premium/annuler-resiliation")
    undone = last_mail(LEARNER)
    assert undone.subject == "Votre abonnement continue"
    assert "Il sera renouvelé le 28 février 2027, pour 20,00 € TTC." in undone.body_text


def test_the_renewal_announced_after_an_undo_is_the_amount_charged_less_promo_and_referral_credit(app, client):
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    db.session.add(PromoCode(code="TROISMOIS", kind=DiscountKind.PERCENT, value=25, months=3,
                             valid_from=date(2027, 1, 1), valid_until=date(2027, 12, 31), active=True))
    db.session.commit()
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference, promo="TROISMOIS")
    flow.pay(client, flow.validate(client, reference).headers["Location"])
    confirmation = soup_of(client.get(f"/commande/{reference}/confirmation"))
    facts = {text_of(row.dt): text_of(row.dd) for row in confirmation.select("dl.facts > div")}
    assert plain(facts["Montant du renouvellement"]) == "15,00 € TTC"  # 20 € less 25 % for two more months
    # A friend subscribes through the learner's link; the reward is earned when the friend's 14 days are over.
    friend = app.test_client()
    friend.get(text_of(confirmation.select_one("#referral-link")).removeprefix(flow.BASE))
    flow.buy_solo(friend, email="filleul@example.org", billing_address="3 place du Marché")
    clock.freeze(datetime(2027, 2, 20, 12, 0, tzinfo=clock.PARIS))
    client.post("/compte/parametres/premium/resilier")
    client.post("/compte/parametres/premium/annuler-resiliation")
    undone = last_mail(LEARNER, "Votre abonnement continue")
    assert "Il sera renouvelé le 28 février 2027, pour 5,00 € TTC." in undone.body_text
    assert "pour 5,00 € TTC" in undone.body_html
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(app.extensions["payment_gateway"])
    learner = db.session.query(User).filter_by(email=LEARNER).one()
    charges = db.session.query(PaymentTransaction).filter_by(user_id=learner.id, kind=TransactionKind.CHARGE)
    assert [charge.amount_cents for charge in charges.order_by(PaymentTransaction.id)] == [1500, 500]


def test_a_withdrawal_is_confirmed_by_mail_with_the_amount_refunded(client, solo):
    client.post("/compte/parametres/premium/retractation")
    assert solo.status == SubscriptionStatus.WITHDRAWN
    message = last_mail(LEARNER, "Votre rétractation")
    assert message.subject == "Votre rétractation est enregistrée et vous êtes remboursé"
    assert "le 31 janvier 2027" in message.body_text and "Nous vous remboursons 20,00 €" in message.body_text
    assert "l'avoir correspondant vous sera envoyé par mail" in message.body_text
    # Then the credit note, its PDF attached, once the refund is confirmed and the PDF rendered.
    credit_note = last_mail(LEARNER, "Votre avoir")
    assert "Montant remboursé : 20,00 € TTC" in credit_note.body_text


def test_an_early_termination_is_confirmed_by_mail_with_the_indemnity(client, plus_subscriber):
    clock.freeze(datetime(2027, 2, 20, 10, 0, tzinfo=clock.PARIS))
    client.post("/compte/parametres/premium/resiliation-anticipee")
    assert plus_subscriber.status == SubscriptionStatus.ENDED
    message = last_mail(LEARNER, "Votre contrat")
    assert message.subject == "Votre contrat Premium Plus est résilié"
    text = message.body_text
    assert "le 20 février 2027, avec effet immédiat (article L444-8" in text
    assert "Indemnité : 1 080,00 €, dont 300,00 € déjà versés et conservés ; débité aujourd'hui : 780,00 €." in text


def test_the_mails_are_in_the_learners_language(client, solo):
    db.session.query(User).filter_by(email=LEARNER).update({"locale": "en"})
    db.session.commit()
    clock.freeze(datetime(2027, 2, 10, 12, 0, tzinfo=clock.PARIS))
    client.post("/compte/parametres/premium/resilier")
    message = last_mail(LEARNER)
    assert message.language == "en"
    assert message.subject == "Your cancellation is recorded: the subscription ends on February 28, 2027"


def test_the_end_of_a_cancelled_subscription_is_told_by_mail(app):
    gateway = app.extensions["payment_gateway"]
    subscription = subscribe(plus=True)
    clock.freeze(datetime(2027, 2, 10, 12, 0, tzinfo=clock.PARIS))
    subscriptions.cancel(subscription)
    db.session.commit()
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(gateway)
    message = last_mail(subscription.user.email)
    assert message.subject == "Votre abonnement Premium Plus a pris fin"
    assert "a pris fin le 28 février 2027, comme vous l'aviez demandé en le résiliant" in message.body_text


def test_an_unpaid_subscription_is_told_when_suspended_then_when_it_ends(app):
    gateway = app.extensions["payment_gateway"]
    subscription = subscribe(refuses=True)
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(gateway)
    assert subscription.status == SubscriptionStatus.PAST_DUE
    unpaid_since = subscription.past_due_since
    for day in (1, 3, 7, 10):  # the retries, then the grace period (10 days) is over
        clock.freeze(unpaid_since + timedelta(days=day, minutes=1))
        run(gateway)
    assert subscription.status == SubscriptionStatus.SUSPENDED
    suspended = last_mail(subscription.user.email)
    assert suspended.subject == "Votre accès Premium est suspendu faute de paiement"
    assert "suspendu depuis le 10 mars 2027" in suspended.body_text
    assert "Sans paiement, l'abonnement prendra fin le 30 mars 2027." in suspended.body_text
    clock.freeze(unpaid_since + timedelta(days=30, minutes=1))
    run(gateway)
    assert subscription.status == SubscriptionStatus.ENDED
    ended = last_mail(subscription.user.email)
    assert ended.subject == "Votre abonnement Premium Solo a pris fin"
    assert "le mois dû n'a pas été payé" in ended.body_text
    run(gateway)  # nothing more happens, and nothing is told twice
    assert [m.subject for m in mails_to(subscription.user.email)].count(ended.subject) == 1


def test_the_guardian_who_approved_a_minors_subscription_gets_a_copy(app):
    minor = subscriber("noah.leroy@example.org", "Noah", "Leroy")
    db.session.add(GuardianApproval(learner_id=minor.id, offer=OfferKind.SOLO, guardian_name="Claire Leroy",
                                    guardian_email="claire.leroy@example.org", relationship_kind="parent",
                                    status=GuardianStatus.APPROVED, requested_at=clock.now(),
                                    decided_at=clock.now()))
    subscription = db.session.query(Subscription).filter_by(user_id=minor.id).one()
    subscriptions.cancel(subscription)
    db.session.commit()
    [learner_copy] = mails_to("noah.leroy@example.org")
    [guardian_copy] = mails_to("claire.leroy@example.org")
    assert guardian_copy.subject == learner_copy.subject
    assert plain(guardian_copy.body_text).startswith(
        "Copie pour Claire Leroy, qui a donné son accord à cet abonnement en tant que représentant légal de "
        "Noah Leroy.")
    assert "Copie pour" not in learner_copy.body_text
    other = subscriber("lea.martin@example.org")  # no guardian: no copy to anyone else
    subscriptions.cancel(db.session.query(Subscription).filter_by(user_id=other.id).one())
    db.session.commit()
    assert len(mails_to("claire.leroy@example.org")) == 1


def approved_by_guardian(subscription: Subscription) -> str:
    """The subscription rests on a guardian's approval; their address."""
    db.session.add(GuardianApproval(learner_id=subscription.user_id, offer=subscription.offer,
                                    parcours_id=subscription.parcours_id, guardian_name="Claire Leroy",
                                    guardian_email="claire.leroy@example.org", relationship_kind="parent",
                                    status=GuardianStatus.APPROVED, requested_at=clock.now(), decided_at=clock.now()))
    db.session.commit()
    return "claire.leroy@example.org"


def test_the_guardian_is_copied_on_the_order_confirmation_a_refused_renewal_and_a_force_majeure_decision(app):
    from app.services.commerce import order_mail
    from app.services.exits import force_majeure
    from tests.factories import make_staff

    gateway = app.extensions["payment_gateway"]
    subscription = subscribe(refuses=True, plus=True)
    guardian = approved_by_guardian(subscription)
    with app.test_request_context():  # as at the payment's notification
        order_mail.send_confirmation(subscription.order, subscription)
    db.session.commit()
    clock.freeze(datetime(2027, 2, 28, 10, 1, tzinfo=clock.PARIS))
    run(gateway)  # the renewal is refused
    request = force_majeure.submit(subscription, "Hospitalisé pour plusieurs mois à partir de mars.", None)
    force_majeure.decide(request, make_staff(), accept=True)
    db.session.commit()
    learner_subjects = [mail.subject for mail in mails_to(subscription.user.email)]
    copies = mails_to(guardian)
    assert [mail.subject for mail in copies] == [subject for subject in learner_subjects
                                                 if subject in {mail.subject for mail in copies}]
    for subject_start in ("Votre contrat Premium Plus est signé", "Le renouvellement de votre abonnement",
                          "Votre contrat Premium Plus est résilié sans indemnité"):
        copy = next(mail for mail in copies if mail.subject.startswith(subject_start))
        assert plain(copy.body_text).startswith("Copie pour Claire Leroy")
        assert "/representant/espace/acces/" in copy.body_text
