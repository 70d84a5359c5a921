""""Ce que j'ai accepté": every consent recorded for a learner (theirs, and their guardian's), newest first, each
with the version of the document it accepted, so that the learner can read that document as it was."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Consent, LegalDocumentVersion, User


@dataclass(frozen=True)
class Entry:
    consent: Consent
    version: LegalDocumentVersion | None  # None for a declaration that accepts no document
    by_someone_else: bool  # given by the learner's guardian


def ledger(user: User) -> list[Entry]:
    rows = db.session.execute(
        select(Consent, LegalDocumentVersion)
        .outerjoin(LegalDocumentVersion, LegalDocumentVersion.id == Consent.document_version_id)
        .where(Consent.user_id == user.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc()))
    return [Entry(consent, version, consent.given_by != user.email) for consent, version in rows]
