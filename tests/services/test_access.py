"""Access to content: video free for all, text and exercises for Premium subscribers (DEF-2, art. 2.1 a, 6.1)."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Chapter
from app.models.catalog import ChapterKind
from app.models.commerce import OfferKind, SubscriptionStatus
from app.services.commerce import access, subscriptions
from app.services.common import clock
from tests.conftest import make_user
from tests.factories import subscribe


def chapter(kind: ChapterKind) -> Chapter:
    return db.session.query(Chapter).filter_by(kind=kind).first()




@pytest.mark.clause("CGS-DEF-2")
def test_video_chapters_are_open_to_everyone_even_signed_out():
    assert access.can_open(None, chapter(ChapterKind.VIDEO))
    assert access.can_open(make_user(), chapter(ChapterKind.VIDEO))


@pytest.mark.clause("CGS-DEF-2")
@pytest.mark.clause("CGS-2.1-A1")
def test_text_chapters_need_a_subscription_that_gives_access():
    text = chapter(ChapterKind.TEXT)
    assert not access.can_open(None, text)
    learner = make_user()
    assert not access.can_open(learner, text)
    subscription = subscribe(learner)
    assert access.can_open(learner, text)
    for status, allowed in [(SubscriptionStatus.CANCELLING, True), (SubscriptionStatus.PAST_DUE, True),
                            (SubscriptionStatus.SUSPENDED, False), (SubscriptionStatus.ENDED, False)]:
        subscription.status = status
        db.session.flush()
        assert access.can_open(learner, text) is allowed, status


@pytest.mark.clause("CGS-2.2-A1")
def test_premium_plus_gives_everything_solo_gives():
    learner = make_user()
    subscribe(learner, offer=OfferKind.PLUS)
    assert access.can_open(learner, chapter(ChapterKind.TEXT))


@pytest.mark.clause("CGS-6.1-01")
def test_the_first_premium_access_is_recorded_once():
    learner = make_user()
    subscription = subscribe(learner)
    access.record_premium_access(learner)
    first = subscription.first_premium_access_at
    assert first is not None
    clock.advance(timedelta(days=2))
    access.record_premium_access(learner)
    assert subscription.first_premium_access_at == first


def test_an_illegal_status_change_raises():
    learner = make_user()
    subscription = subscribe(learner)
    subscriptions.transition(subscription, SubscriptionStatus.ENDED)
    with pytest.raises(subscriptions.IllegalTransition):
        subscriptions.transition(subscription, SubscriptionStatus.ACTIVE)
