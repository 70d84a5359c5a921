"""Who may open what: video chapters are free for everyone; text chapters and exercises need Premium.

The first opening of premium content is recorded on the subscription: for Premium Solo it starts the
execution of the contract and ends the withdrawal right, which the learner waived at the order (art. 6.1).
"""

from sqlalchemy import select

from app.extensions import db
from app.models import Chapter, Subscription, User
from app.models.catalog import ChapterKind
from app.services.commerce import subscriptions
from app.services.common import clock


def is_premium(chapter: Chapter) -> bool:
    return chapter.kind != ChapterKind.VIDEO


def can_open(user: User | None, chapter: Chapter) -> bool:
    if not is_premium(chapter):
        return True
    return user is not None and subscriptions.has_premium_access(user.id)


def first_access_pending(user: User | None) -> bool:
    """Would opening premium content (a text chapter, a quiz, an assignment) be the first premium access of one
    of the learner's subscriptions (for Premium Solo, the end of the withdrawal right)? Then it is recorded only
    from a deliberate opening."""
    if user is None:
        return False
    return db.session.scalar(select(Subscription.id).where(
        Subscription.user_id == user.id, Subscription.status.in_(subscriptions.GIVES_ACCESS),
        Subscription.first_premium_access_at.is_(None)).limit(1)) is not None


def record_premium_access(user: User) -> None:
    """Stamp the first premium access on every subscription giving access that has none yet."""
    for subscription in db.session.scalars(select(Subscription).where(
            Subscription.user_id == user.id, Subscription.status.in_(subscriptions.GIVES_ACCESS),
            Subscription.first_premium_access_at.is_(None))):
        subscription.first_premium_access_at = clock.now()
    db.session.flush()
