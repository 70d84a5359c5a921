"""Closing one's account (CGS-9-01, GDPR art. 17): the current subscription ends by its ordinary exit, every
browser is signed out, the closure is mailed with a link that undoes it for 30 days; after them the account is
anonymised, and what the law keeps (invoices, consents, certificates) is kept."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.i18n import force_language
from app.models import DataExport, Invoice, OutboxMessage, Subscription, UserSession
from app.models.commerce import OfferKind, SubscriptionStatus
from app.services import DomainError
from app.services.accounts import users
from app.services.common import clock
from app.services.community import discussions
from app.services.privacy import closure, exports
from app.services.privacy.closure import Ending
from tests.diploma_candidates import parcours_named
from tests.factories import PASSWORD, make_staff, make_user, subscribe

NOW = datetime(2027, 1, 12, 10, 0, tzinfo=clock.PARIS)  # 30 days later: no change of clock time between
UNDO_LINKS: list[str] = []


@pytest.fixture(autouse=True)
def today():
    clock.freeze(NOW)
    UNDO_LINKS.clear()


def undo_url(token: str) -> str:
    UNDO_LINKS.append(token)
    return f"https://portail.example.org/compte/cloture/annuler/{token}"


def learner_with(status: SubscriptionStatus | None, offer: OfferKind = OfferKind.SOLO):
    user = make_user("camille@example.org")
    subscription = None
    if status is not None:
        subscription = subscribe(user, status, offer, parcours_named() if offer == OfferKind.PLUS else None)
    users.open_session(user, "Firefox")
    db.session.commit()
    return user, subscription


def last_mail_to(address: str) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)
                              .order_by(OutboxMessage.id.desc())).first()


@pytest.mark.clause("CGS-9-01")
def test_closing_cancels_the_subscription_signs_out_everywhere_and_mails_the_undo_link():
    user, subscription = learner_with(SubscriptionStatus.ACTIVE)
    outcome = closure.close(user, PASSWORD, undo_url)
    db.session.commit()
    assert outcome.ending == Ending.CANCELLED_AT_PERIOD_END
    assert subscription.status == SubscriptionStatus.CANCELLING  # nothing charged again
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all() == []
    assert closure.is_closing(user) and closure.undo_until(user) == NOW + timedelta(days=30)
    mail = last_mail_to(user.email)
    assert mail.subject == "Votre compte est en cours de clôture"
    assert f"/compte/cloture/annuler/{UNDO_LINKS[0]}" in mail.body_text
    assert "avant le 11 février 2027 à 10:00" in mail.body_text
    assert "Votre abonnement est résilié : il ne sera plus renouvelé" in mail.body_text


def test_a_wrong_password_closes_nothing():
    user, subscription = learner_with(SubscriptionStatus.ACTIVE)
    with pytest.raises(DomainError) as refused:
        closure.close(user, "pas le bon", undo_url)
    assert refused.value.errors == [("current_password", "Le mot de passe actuel est incorrect.")]
    assert not closure.is_closing(user) and subscription.status == SubscriptionStatus.ACTIVE


@pytest.mark.parametrize("status, offer, ending, after", [
    (SubscriptionStatus.REFLECTION, OfferKind.PLUS, Ending.GIVEN_UP, SubscriptionStatus.ABANDONED),
    (SubscriptionStatus.PAST_DUE, OfferKind.SOLO, Ending.ENDS_NOW, SubscriptionStatus.ENDED),
    (SubscriptionStatus.SUSPENDED, OfferKind.PLUS, Ending.ENDS_NOW, SubscriptionStatus.ENDED),
    (SubscriptionStatus.CANCELLING, OfferKind.SOLO, Ending.ALREADY_CANCELLED, SubscriptionStatus.CANCELLING),
    (SubscriptionStatus.ACTIVE, OfferKind.PLUS, Ending.CANCELLED_AT_PERIOD_END, SubscriptionStatus.CANCELLING),
])
def test_the_subscription_ends_by_its_ordinary_exit(status, offer, ending, after):
    user, subscription = learner_with(status, offer)
    assert closure.plan(user).ending == ending
    closure.close(user, PASSWORD, undo_url)
    assert subscription.status == after


def test_no_subscription_and_a_payment_in_progress():
    user, _none = learner_with(None)
    assert closure.plan(user).ending == Ending.NONE and closure.can_close(user)
    paying = make_user("paying@example.org")
    subscribe(paying, SubscriptionStatus.AWAITING_PAYMENT, OfferKind.PLUS, parcours_named())
    assert closure.plan(paying).ending == Ending.PAYMENT_IN_PROGRESS and not closure.can_close(paying)


def test_a_team_account_is_closed_by_the_team_not_from_its_settings():
    member = make_staff()
    assert not closure.can_close(member)
    with pytest.raises(DomainError):
        closure.close(member, PASSWORD, undo_url)


@pytest.mark.clause("CGS-9-01")
def test_the_link_reopens_the_account_within_30_days_and_the_cancellation_stays():
    user, subscription = learner_with(SubscriptionStatus.ACTIVE)
    closure.close(user, PASSWORD, undo_url)
    db.session.commit()
    clock.freeze(NOW + timedelta(days=30) - timedelta(minutes=1))
    assert closure.closing_for(UNDO_LINKS[0]) == user
    closure.reopen(UNDO_LINKS[0])
    assert not closure.is_closing(user) and users.authenticate(user.email, PASSWORD) == user
    assert subscription.status == SubscriptionStatus.CANCELLING
    assert last_mail_to(user.email).subject == "Votre compte est rouvert"
    assert closure.closing_for(UNDO_LINKS[0]) is None  # once


def test_the_undo_link_expires_after_30_days_and_undoes_only_its_own_closure():
    user, _subscription = learner_with(None)
    closure.close(user, PASSWORD, undo_url)
    clock.freeze(NOW + timedelta(days=30))
    assert closure.closing_for(UNDO_LINKS[0]) is None
    with pytest.raises(DomainError):
        closure.reopen(UNDO_LINKS[0])
    assert closure.closing_for("pas-un-jeton") is None


@pytest.mark.clause("CGS-9-01")
def test_after_30_days_the_account_is_anonymised_and_what_the_law_keeps_is_kept():
    user, subscription = learner_with(SubscriptionStatus.ACTIVE)
    address = user.email
    invoices_before = db.session.scalars(select(Invoice.number).where(Invoice.user_id == user.id)).all()
    export = exports.ask(user)
    db.session.commit()
    jobs.enqueue_committed_jobs()
    closure.close(user, PASSWORD, undo_url)
    db.session.commit()
    clock.freeze(NOW + timedelta(days=30) - timedelta(seconds=1))
    assert closure.due() == [] and jobs.sweep_closures.call_local() == 0
    clock.freeze(NOW + timedelta(days=30))
    assert jobs.sweep_closures.call_local() == 1
    db.session.refresh(user)
    assert (user.first_name, user.last_name, user.password_hash) == ("—", "—", None)
    assert user.email == f"compte-clos-{user.id}@clos.invalid" and user.closed_at == clock.now()
    assert users.find_by_email(address) is None and users.authenticate(address, PASSWORD) is None
    assert discussions.public_name(user) == "Ancien membre"
    with force_language("en"):
        assert discussions.public_name(user) == "Former member"
    assert db.session.get(DataExport, export.id).archive is None
    # The cancelled month, which runs to 12 February, ends with the account: no mail to an erased address.
    assert db.session.get(Subscription, subscription.id).status == SubscriptionStatus.ENDED
    assert db.session.scalars(select(Invoice.number).where(Invoice.user_id == user.id)).all() == invoices_before
    last = last_mail_to(address)
    assert last.subject == "Votre compte est clôturé" and "le dernier que vous recevez" in last.body_text
    assert jobs.sweep_closures.call_local() == 0  # done once
