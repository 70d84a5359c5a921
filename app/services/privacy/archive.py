"""The export's ZIP: `data.json` (see portable_data), every document as the portal issued it, the files the
person sent, and a read-me in their language that says what is where."""

import io
import json
import zipfile
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select
from werkzeug.utils import secure_filename

from app.extensions import db
from app.i18n import force_language
from app.models import (
    AssignmentSubmission,
    Certificate,
    ContractPdf,
    ForceMajeureRequest,
    Invoice,
    Subscription,
    User,
)
from app.services.common import clock
from app.services.learning import certificates
from app.services.legal import documents
from app.services.privacy import portable_data
from app.services.privacy.portable_data import Files

DATA_FILE = "data.json"
SCHEMA_FILE = "data-export.schema.json"
README_FILE = {"fr": "LISEZMOI.txt", "en": "README.txt"}


class InvoicesStillRendering(Exception):
    """An invoice of the person has no PDF yet (the job queue renders it within seconds): the export waits for
    it rather than leave it out."""


class _Layout:
    """The archive's files, and for each row the paths of its files (what `data.json` gives as `files`)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []
        self.files: Files = {}

    def add(self, kind: str, row_id: int, path: str, content: bytes) -> None:
        self.entries.append((path, content))
        self.files.setdefault((kind, row_id), []).append(path)


def _name(row_id: int, name: str) -> str:
    """A file name as the person sent it, made safe for any unzipping tool."""
    return f"{row_id}-{secure_filename(name) or 'fichier'}"


def _invoices(user: User, layout: _Layout) -> None:
    for invoice in db.session.scalars(select(Invoice).where(Invoice.user_id == user.id).order_by(Invoice.id)):
        if invoice.pdf is None:
            raise InvoicesStillRendering(invoice.number)
        folder = "avoirs" if invoice.is_credit_note else "factures"
        layout.add("invoice", invoice.id, f"{folder}/{invoice.number}.pdf", invoice.pdf)


def _contracts(user: User, layout: _Layout) -> None:
    for subscription_id, content in db.session.execute(
            select(ContractPdf.subscription_id, ContractPdf.content).join(Subscription)
            .where(Subscription.user_id == user.id).order_by(ContractPdf.id)):
        layout.add("contract", subscription_id, f"contrats/contrat-premium-plus-{subscription_id}.pdf", content)


def _certificates(user: User, layout: _Layout, language: str, verification_url: Callable[[Certificate], str]) -> None:
    for certificate in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                          .order_by(Certificate.id)):
        content = certificates.stored_pdf(certificate, language, verification_url(certificate))
        layout.add("certificate", certificate.id,
                   f"certificats/{certificates.pdf_filename(certificate)}", content)


def _documents_accepted(user: User, layout: _Layout, language: str) -> None:
    for version in portable_data.accepted_versions(user):
        stem = f"documents-acceptes/{secure_filename(version.document)}-{secure_filename(version.version)}"
        if version.document == documents.TERMS:
            content = documents.stored_pdf(version, language) or documents.render_pdf(version, language)
            layout.add("legal", version.id, f"{stem}-{language}.pdf", content)
        # The text as published, in both languages: the Student Rules exist only as text.
        for text_language in current_app.config["LANGUAGES"]:
            layout.add("legal", version.id, f"{stem}-{text_language}.md",
                       getattr(version, f"body_{text_language}").encode())


def _files_sent(user: User, layout: _Layout) -> None:
    for submission in db.session.scalars(select(AssignmentSubmission).where(
            AssignmentSubmission.user_id == user.id, AssignmentSubmission.file_content.is_not(None))
            .order_by(AssignmentSubmission.id)):
        assert submission.file_content is not None and submission.file_name is not None
        layout.add("submission", submission.id, f"devoirs/{_name(submission.id, submission.file_name)}",
                   submission.file_content)
    for request in db.session.scalars(select(ForceMajeureRequest).join(Subscription).where(
            Subscription.user_id == user.id, ForceMajeureRequest.document.is_not(None))
            .order_by(ForceMajeureRequest.id)):
        assert request.document is not None
        layout.add("force_majeure", request.id,
                   f"justificatifs/{_name(request.id, request.document_name or 'justificatif')}", request.document)


def build(user: User, language: str, verification_url: Callable[[Certificate], str]) -> bytes:
    """The ZIP of everything the portal holds about `user`, its read-me in `language`."""
    layout = _Layout()
    _invoices(user, layout)
    _contracts(user, layout)
    _certificates(user, layout, language, verification_url)
    _documents_accepted(user, layout, language)
    _files_sent(user, layout)
    data = portable_data.document(user, layout.files)
    with force_language(language):
        readme = current_app.jinja_env.get_template("privacy/export_readme.txt").render(
            user=user, data_file=DATA_FILE, schema_file=SCHEMA_FILE, sections=portable_data.SECTIONS,
            generated_at=clock.now(), privacy_email=current_app.config["COMPANY"]["privacy_email"])
    # Every file dated as the export: the archive says when it was made, not when each row was.
    moment = clock.now().astimezone(clock.PARIS).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def write(path: str, content: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(path, date_time=moment), content, zipfile.ZIP_DEFLATED)
        write(README_FILE.get(language, README_FILE["fr"]), readme.encode())
        write(DATA_FILE, json.dumps(data, ensure_ascii=False, indent=2).encode())
        write(SCHEMA_FILE, json.dumps(portable_data.schema(), ensure_ascii=False, indent=2).encode())
        for path, content in layout.entries:
            write(path, content)
    return buffer.getvalue()
