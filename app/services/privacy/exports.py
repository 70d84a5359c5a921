"""Asking for one's data, its preparation by the job queue, and its download.

The learner asks from Mes paramètres; the job queue builds the archive (archive.py) and mails a link. The link
opens only for the account it was made for, signed in, once, and for DATA_EXPORT_DAYS after the archive was
ready; the archive is deleted when it is downloaded or when the link expires, and the row stays as the history
the page shows. One export is prepared at a time: asking again replaces a ready one."""

import enum
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update

from app.extensions import db
from app.models import Certificate, DataExport, User
from app.services import DomainError
from app.services.common import clock, mail
from app.services.privacy import archive

# The session flag the job queue turns into `prepare_data_exports` once the request's transaction commits.
PREPARE_FLAG = "data_exports_to_prepare"


class ExportState(enum.StrEnum):
    PREPARING = "preparing"
    READY = "ready"
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"


def _days() -> int:
    days: int = current_app.config["DATA_EXPORT_DAYS"]
    return days


def latest(user: User) -> DataExport | None:
    export: DataExport | None = db.session.scalar(select(DataExport).where(DataExport.user_id == user.id)
                                                  .order_by(DataExport.id.desc()).limit(1))
    return export


def expires_at(export: DataExport) -> datetime | None:
    """When the link stops working: DATA_EXPORT_DAYS after the archive was ready."""
    return export.ready_at + timedelta(days=_days()) if export.ready_at is not None else None


def state(export: DataExport) -> ExportState:
    if export.ready_at is None:
        return ExportState.PREPARING
    if export.downloaded_at is not None:
        return ExportState.DOWNLOADED
    if export.deleted_at is not None or clock.now() >= cast(datetime, expires_at(export)):
        return ExportState.EXPIRED
    return ExportState.READY


def can_ask(user: User, latest_export: DataExport | None = None) -> bool:
    """Anyone may ask, except while an export of theirs is being prepared. `latest_export`: `latest(user)`, when
    the caller has read it already."""
    export = latest_export if latest_export is not None else latest(user)
    return export is None or state(export) != ExportState.PREPARING


def ask(user: User) -> DataExport:
    """Record the request and mark it for the job queue; a ready archive not downloaded is deleted (one at a
    time). Never commits."""
    if not can_ask(user):
        raise DomainError([(None, str(_l("Vos données sont déjà en cours de préparation : vous recevrez un email "
                                          "dès qu'elles seront prêtes.")))])
    now = clock.now()
    db.session.execute(update(DataExport).where(DataExport.user_id == user.id, DataExport.archive.is_not(None))
                       .values(archive=None, deleted_at=now))
    export = DataExport(public_id=secrets.token_urlsafe(16)[:22], user_id=user.id, language=user.locale,
                        requested_at=now)
    db.session.add(export)
    db.session.flush()
    db.session.info.setdefault(PREPARE_FLAG, set()).add(export.id)
    return export


def prepare(export_id: int, download_url: Callable[[DataExport], str],
            verification_url: Callable[[Certificate], str]) -> bool:
    """Build the archive of an export not prepared yet and mail its link; True when this call prepared it.
    Raises archive.InvoicesStillRendering while an invoice of the person has no PDF yet (the job retries)."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.ready_at is not None:
        return False
    content = archive.build(export.user, export.language, verification_url)
    now = clock.now()
    prepared = cast(CursorResult[Any], db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.ready_at.is_(None))
        .values(archive=content, size_bytes=len(content), ready_at=now)))
    if prepared.rowcount != 1:  # another worker prepared it meanwhile
        return False
    db.session.refresh(export)
    mail.queue(export.user.email, "data_export_ready", export.language, user=export.user,
               link=download_url(export), size_bytes=len(content), expires_at=expires_at(export))
    return True


def waiting(requested_before: datetime) -> list[int]:
    """Exports asked for by `requested_before` and not prepared yet, newest first (for the periodic sweep)."""
    return list(db.session.scalars(select(DataExport.id).where(DataExport.ready_at.is_(None),
                                                               DataExport.requested_at <= requested_before)
                                   .order_by(DataExport.id.desc())))


def downloadable(user: User, public_id: str) -> DataExport | None:
    """The export behind a link, if it is this account's and still ready."""
    export = db.session.scalar(select(DataExport).where(DataExport.public_id == public_id))
    if export is None or export.user_id != user.id or state(export) != ExportState.READY:
        return None
    return export


def take(export: DataExport) -> bytes | None:
    """The archive, once: it is deleted as it is handed over. None when another request took it first. Never
    commits (the caller commits before sending the bytes)."""
    content = export.archive
    now = clock.now()
    taken = cast(CursorResult[Any], db.session.execute(
        update(DataExport).where(DataExport.id == export.id, DataExport.downloaded_at.is_(None),
                                 DataExport.archive.is_not(None))
        .values(downloaded_at=now, archive=None, deleted_at=now)))
    return content if taken.rowcount == 1 else None


def delete_expired() -> int:
    """Delete the archives whose link has expired; returns how many."""
    deadline = clock.now() - timedelta(days=_days())
    deleted = cast(CursorResult[Any], db.session.execute(
        update(DataExport).where(DataExport.archive.is_not(None), DataExport.ready_at <= deadline)
        .values(archive=None, deleted_at=clock.now())))
    return deleted.rowcount
