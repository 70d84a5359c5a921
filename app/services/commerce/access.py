"""Who may open what: video chapters are free for everyone; text chapters and exercises need Premium.

The first opening of premium content is recorded on the subscription: for Premium Solo it starts the
execution of the contract and ends the withdrawal right, which the learner waived at the order (art. 6.1).
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Chapter, Subscription, User
from app.models.catalog import ChapterKind
from app.services.commerce import subscriptions
from app.services.common import clock


def is_premium(chapter: Chapter) -> bool:
    return chapter.kind != ChapterKind.VIDEO


@dataclass(frozen=True)
class PremiumAccess:
    """A learner's subscriptions that give premium access, read once for a page (one query) and asked both
    "may they open it?" and "would this be the first premium access?"."""

    subscriptions: tuple[Subscription, ...] = ()

    @property
    def granted(self) -> bool:
        return bool(self.subscriptions)

    @property
    def first_access_pending(self) -> bool:
        return any(subscription.first_premium_access_at is None for subscription in self.subscriptions)


_GIVING_ACCESS = select(Subscription).where(Subscription.user_id == bindparam("user_id"),
                                            Subscription.status.in_(subscriptions.GIVES_ACCESS))


def premium_access(user: User | None) -> PremiumAccess:
    if user is None:
        return PremiumAccess()
    return PremiumAccess(tuple(db.session.scalars(_GIVING_ACCESS, {"user_id": user.id})))


def has_premium(user: User | None) -> bool:
    """Premium Solo or Plus while a subscription gives access: what every exercise (quiz, assignment) and the
    forum ask, as premium chapters do."""
    return user is not None and subscriptions.has_premium_access(user.id)


def _known_or_read(user: User | None, known: PremiumAccess | None) -> PremiumAccess:
    return known if known is not None else premium_access(user)


def can_open(user: User | None, chapter: Chapter, known: PremiumAccess | None = None) -> bool:
    if not is_premium(chapter):
        return True
    return _known_or_read(user, known).granted


def first_access_pending(user: User | None, known: PremiumAccess | None = None) -> bool:
    """Would opening premium content (a text chapter, a quiz, an assignment) be the first premium access of one
    of the learner's subscriptions (for Premium Solo, the end of the withdrawal right)? Then it is recorded only
    from a deliberate opening."""
    return _known_or_read(user, known).first_access_pending


def record_premium_access(user: User, known: PremiumAccess | None = None) -> None:
    """Stamp the first premium access on every subscription giving access that has none yet."""
    for subscription in _known_or_read(user, known).subscriptions:
        if subscription.first_premium_access_at is None:
            subscription.first_premium_access_at = clock.now()
    db.session.flush()
