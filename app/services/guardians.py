"""Guardians (parents, legal representatives, tutors, curators) who approve a learner's subscription."""

from sqlalchemy import select

from app.extensions import db
from app.models import GuardianApproval, Parcours, User
from app.models.commerce import GuardianStatus, OfferKind


def is_approved(learner: User, offer: OfferKind, parcours: Parcours | None) -> bool:
    """A guardian approved this offer (and this Parcours, for Plus) and has not revoked it."""
    return db.session.scalar(select(GuardianApproval.id).where(
        GuardianApproval.learner_id == learner.id, GuardianApproval.offer == offer,
        GuardianApproval.parcours_id == (parcours.id if parcours else None),
        GuardianApproval.status == GuardianStatus.APPROVED).limit(1)) is not None
