""""Ce que j'ai accepté": every consent recorded for a learner (theirs, and their guardian's), newest first, each
with the version of the document it accepted, so that the learner can read that document as it was."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Consent, LegalDocumentVersion, User
from app.services.legal import documents


@dataclass(frozen=True)
class Entry:
    consent: Consent
    version: LegalDocumentVersion | None  # None for a declaration that accepts no document
    by_someone_else: bool  # given by the learner's guardian
    # The version of the same document in force today, when it came after the one accepted: what changed since
    # is shown side by side.
    now_in_force: LegalDocumentVersion | None


def ledger(user: User) -> list[Entry]:
    rows = db.session.execute(
        select(Consent, LegalDocumentVersion)
        .outerjoin(LegalDocumentVersion, LegalDocumentVersion.id == Consent.document_version_id)
        .where(Consent.user_id == user.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())).all()
    in_force = {document: documents.version_in_force(document)
                for document in {version.document for _consent, version in rows if version is not None}}

    def later_in_force(version: LegalDocumentVersion | None) -> LegalDocumentVersion | None:
        current = in_force.get(version.document) if version is not None else None
        if version is None or current is None or current.id == version.id:
            return None
        return current if current.effective_on >= version.effective_on else None

    return [Entry(consent, version, consent.given_by != user.email, later_in_force(version))
            for consent, version in rows]
