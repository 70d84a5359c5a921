"""The export of a learner's data (GDPR art. 15 and 20): everything the portal holds about her, as JSON that
follows the committed schema, with each document as issued, without the other learners' identity; prepared by
the job queue, downloaded once, deleted after."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import DataExport, Invoice, OutboxMessage
from app.services import DomainError
from app.services.common import clock
from app.services.privacy import archive, exports, portable_data
from app.services.privacy.exports import ExportState
from tests import pdf_checks
from tests.assignments import COMMENTS, PDF, WORK
from tests.data_owners import MESSAGE_RECEIVED, MESSAGE_SENT, REQUEST_TEXT, REVIEWER_EMAIL, learner_with_history

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "data-export.schema.json"


@pytest.fixture
def history(app):
    return learner_with_history(app)


def exported(user) -> DataExport:
    """Ask, commit as the page does, and let the (immediate) job queue prepare it."""
    export = exports.ask(user)
    db.session.commit()
    jobs.enqueue_committed_jobs()
    db.session.refresh(export)
    return export


def unzipped(export: DataExport) -> tuple[zipfile.ZipFile, dict]:
    assert export.archive is not None
    bundle = zipfile.ZipFile(io.BytesIO(export.archive))
    return bundle, json.loads(bundle.read("data.json"))


def pdf_text(bundle: zipfile.ZipFile, path: str) -> str:
    return pdf_checks.pdf_text(bundle.read(path))


@pytest.mark.clause("CGS-9-01")
def test_the_export_follows_the_committed_json_schema(history):
    lea, _rita = history
    _bundle, data = unzipped(exported(lea))
    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text()),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(data)] == []
    assert data["format"] == portable_data.FORMAT


def test_the_committed_schema_is_the_one_the_export_is_written_with():
    assert json.loads(SCHEMA_FILE.read_text()) == portable_data.schema(), \
        "docs/data-export.schema.json is out of date: run `flask privacy schema > docs/data-export.schema.json`"


@pytest.mark.clause("CGS-9-01")
def test_the_export_holds_the_learners_account_money_and_consents(history):
    lea, _rita = history
    _bundle, data = unzipped(exported(lea))
    assert data["account"]["email"] == lea.email and data["account"]["date_of_birth"] == "1994-05-17"
    assert [subscription["offer"] for subscription in data["subscriptions"]] == ["plus"]
    assert data["subscriptions"][0]["parcours"] == "developpeur-application-python"
    invoice_numbers = set(db.session.scalars(select(Invoice.number).where(Invoice.user_id == lea.id)))
    assert len(invoice_numbers) == 2 and {invoice["number"] for invoice in data["invoices"]} == invoice_numbers
    assert sum(transaction["amount_cents"] for transaction in data["transactions"]) == sum(
        invoice["amount_ttc_cents"] for invoice in data["invoices"])
    assert {consent["kind"] for consent in data["consents"]} >= {"terms", "student_rules"}
    assert {document["document"] for document in data["documents_accepted"]} == {
        consent["document"].split()[0] for consent in data["consents"] if consent["document"]}
    secrets = {"password_hash", "token", "credential_version", "idempotency_key", "payment_redirect_url"}
    assert not secrets & {key for section in portable_data.schema()["properties"].values()
                          for key in section.get("items", section).get("properties", {})}


@pytest.mark.clause("CGS-9-01")
def test_each_document_is_in_the_archive_as_it_was_issued(history):
    lea, _rita = history
    bundle, data = unzipped(exported(lea))
    for invoice in data["invoices"]:
        [path] = invoice["files"]
        stored = db.session.scalar(select(Invoice.pdf).where(Invoice.number == invoice["number"]))
        assert bundle.read(path) == stored and invoice["number"] in pdf_text(bundle, path)
    [subscription] = data["subscriptions"]
    [contract] = subscription["files"]
    assert "Contrat Premium Plus" in pdf_text(bundle, contract) and "Léa Exporte" in pdf_text(bundle, contract)
    [certificate] = data["certificates"]
    assert "Développement web avec Flask" in pdf_text(bundle, certificate["files"][0])
    terms = next(document for document in data["documents_accepted"] if document["document"] == "cgs")
    terms_pdf = next(path for path in terms["files"] if path.endswith(".pdf"))
    assert "Conditions générales" in pdf_text(bundle, terms_pdf)
    rules = next(document for document in data["documents_accepted"] if document["document"] != "cgs")
    assert all(path.endswith(".md") for path in rules["files"]) and len(rules["files"]) == 2
    [submission] = data["submissions"]
    assert submission["text"] == WORK and bundle.read(submission["files"][0]) == PDF
    assert submission["files"] == [f"devoirs/{submission_id(lea)}-rapport_final.pdf"]
    assert "LISEZMOI.txt" in bundle.namelist() and "data-export.schema.json" in bundle.namelist()


def submission_id(user) -> int:
    from app.models import AssignmentSubmission
    return db.session.scalar(select(AssignmentSubmission.id).where(AssignmentSubmission.user_id == user.id))


@pytest.mark.clause("CGS-9-01")
def test_the_export_holds_what_she_did_and_wrote_without_naming_other_learners(history):
    lea, rita = history
    bundle, data = unzipped(exported(lea))
    [review] = data["reviews_received"]
    assert review["comments"] == COMMENTS and review["scores"]
    assert {(message["body"], message["sent"]) for message in data["private_messages"]} == {
        (MESSAGE_RECEIVED, False), (MESSAGE_SENT, True)}
    assert [thread["title"] for thread in data["forum_threads"]] == ["Où ranger les gabarits ?"]
    assert [post["is_opening"] for post in data["forum_posts"]] == [True]  # her post, not Rita's answer
    assert [request["message"] for request in data["requests"]] == [REQUEST_TEXT]
    assert data["quiz_attempts"] == [] and data["reading_progress"] == []
    everything = bundle.read("data.json").decode() + bundle.read("LISEZMOI.txt").decode()
    for trace in (rita.email, rita.last_name, REVIEWER_EMAIL):
        assert trace not in everything


def test_the_read_me_is_in_the_language_of_the_learner(history):
    lea, _rita = history
    lea.locale = "en"
    bundle, _data = unzipped(exported(lea))
    readme = bundle.read("README.txt").decode()
    assert "LISEZMOI.txt" not in bundle.namelist()
    assert "Your data, exported from the Platform" in readme and "data.json" in readme


@pytest.mark.clause("CGS-9-01")
def test_the_learner_is_mailed_a_link_when_the_export_is_ready(history):
    lea, _rita = history
    export = exported(lea)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == lea.email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert mail.subject == "Vos données sont prêtes à télécharger"
    assert f"/compte/parametres/donnees/export/{export.public_id}" in mail.body_text
    assert "une seule fois" in mail.body_text
    assert exports.state(export) == ExportState.READY


def test_an_export_waits_for_an_invoice_whose_pdf_is_still_rendering(history):
    lea, _rita = history
    invoice = db.session.scalars(select(Invoice).where(Invoice.user_id == lea.id)).first()
    db.session.execute(Invoice.__table__.update().where(Invoice.id == invoice.id).values(pdf=None, pdf_sha256=None))
    db.session.expire_all()  # as a worker reads it: the rendering has not stored it yet
    export = exports.ask(lea)
    db.session.flush()
    with pytest.raises(archive.InvoicesStillRendering):
        jobs._prepare_export(export.id)
    assert exports.state(export) == ExportState.PREPARING
    assert exports.waiting(clock.now() + timedelta(seconds=1)) == [export.id]


def test_a_second_request_waits_for_the_one_being_prepared(user):
    exports.ask(user)
    assert not exports.can_ask(user)
    with pytest.raises(DomainError) as refused:
        exports.ask(user)
    assert "déjà en cours de préparation" in refused.value.errors[0][1]


def test_asking_again_deletes_the_archive_not_downloaded(user):
    first = exported(user)
    second = exported(user)
    db.session.refresh(first)
    assert first.archive is None and first.deleted_at is not None
    assert exports.state(first) == ExportState.EXPIRED and exports.state(second) == ExportState.READY
    assert exports.downloadable(user, first.public_id) is None


def test_the_archive_is_handed_over_once_to_its_owner_only(user, app):
    from tests.factories import make_user
    export = exported(user)
    stranger = make_user("autre.personne@example.org")
    assert exports.downloadable(stranger, export.public_id) is None
    content = exports.take(exports.downloadable(user, export.public_id))
    assert zipfile.ZipFile(io.BytesIO(content)).read("data.json")
    assert exports.take(export) is None  # a second request at the same moment gets nothing
    db.session.refresh(export)
    assert export.archive is None and exports.state(export) == ExportState.DOWNLOADED
    assert exports.downloadable(user, export.public_id) is None


def test_the_archive_is_deleted_when_its_link_expires(user):
    export = exported(user)
    clock.freeze(export.ready_at + timedelta(days=7) - timedelta(minutes=1))
    assert exports.state(export) == ExportState.READY
    assert jobs.sweep_data_exports.call_local() == 0
    db.session.refresh(export)
    assert export.archive is not None
    clock.freeze(export.ready_at + timedelta(days=7))
    assert exports.state(export) == ExportState.EXPIRED and exports.downloadable(user, export.public_id) is None
    jobs.sweep_data_exports.call_local()
    db.session.refresh(export)
    assert export.archive is None and export.deleted_at == clock.now()
