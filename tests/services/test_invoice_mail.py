"""Each invoice and credit note reaches the learner by mail as soon as its PDF exists, the PDF attached: the
proof of a renewal's payment, of a refund (CGS-3.3-01: an invoice for each payment)."""

import email
import email.policy
import io
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import Invoice, OutboxAttachment
from app.services.billing import invoices
from app.services.common import clock
from tests.billing_runs import run, subscribe
from tests.conftest import past_the_sweep_delay
from tests.factories import refund_of
from tests.pdf_checks import normalised


@pytest.fixture
def outbox(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's mails
    return tmp_path


def delivered(outbox: Path, address: str) -> list[EmailMessage]:
    """The mails written to the outbox folder for `address`, as a mail program reads them."""
    mails = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
             for path in sorted(outbox.glob("*.eml"))]
    return [message for message in mails if message["To"] == address]  # type: ignore[misc]


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return normalised(body.get_content())


def attached_pdf_text(message: EmailMessage, filename: str) -> str:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == filename
    assert attachment.get_content_type() == "application/pdf"
    return normalised("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(attachment.get_content())).pages))


def renewed(gateway, language: str = "fr") -> Invoice:
    """A Solo subscription renewed once by the billing run, its invoices rendered by the queue (at once here)."""
    subscription = subscribe()
    subscription.user.locale = language
    db.session.commit()
    clock.freeze(datetime(2027, 3, 1, 9, 0, tzinfo=clock.PARIS))
    assert run(gateway).renewed == 1
    jobs.enqueue_committed_jobs()
    return db.session.scalars(select(Invoice).where(Invoice.subscription_id == subscription.id)
                              .order_by(Invoice.id.desc())).first()


@pytest.mark.clause("CGS-3.3-01")
def test_a_paid_renewal_is_mailed_with_its_invoice_pdf_attached(gateway, outbox):
    invoice = renewed(gateway)
    [message] = [mail for mail in delivered(outbox, invoice.user.email)
                 if mail["Subject"] == f"Votre facture {invoice.number}"]
    assert message["Content-Language"] == "fr"
    assert invoice.number in attached_pdf_text(message, f"{invoice.number}.pdf")
    body = plain(message)
    assert f"votre facture {invoice.number} : {normalised(invoice.description_fr)}." in body
    assert "Montant payé : 20,00 € TTC" in body
    assert f"/compte/factures/{invoice.number}" in body
    # Sent: the outbox keeps no second copy of the PDF (the invoice keeps its own).
    assert db.session.scalar(select(OutboxAttachment.id)) is None


def test_an_english_learner_gets_the_mail_and_the_pdf_in_english(gateway, outbox):
    invoice = renewed(gateway, language="en")
    [message] = [mail for mail in delivered(outbox, invoice.user.email)
                 if mail["Subject"] == f"Your invoice {invoice.number}"]
    assert message["Content-Language"] == "en"
    assert "Amount paid: €20.00 incl. VAT" in plain(message)
    assert "Invoice" in attached_pdf_text(message, f"{invoice.number}.pdf")


def test_an_invoice_rendered_twice_is_mailed_once(gateway, outbox):
    invoice = renewed(gateway)
    jobs.render_invoices([invoice.id])  # a retried job, then the sweep: the PDF is stored already
    past_the_sweep_delay()
    jobs.sweep_invoices()
    subjects = [mail["Subject"] for mail in delivered(outbox, invoice.user.email)]
    assert subjects.count(f"Votre facture {invoice.number}") == 1


def test_a_credit_note_is_mailed_with_the_refunded_amount_and_the_invoice_it_refunds(gateway, outbox):
    invoice = renewed(gateway)
    note = invoices.issue_credit_note(refund_of(invoice, 500), invoice)
    db.session.commit()
    jobs.enqueue_committed_jobs()
    [message] = [mail for mail in delivered(outbox, invoice.user.email)
                 if mail["Subject"] == f"Votre avoir {note.number}"]
    body = plain(message)
    assert f"votre avoir {note.number}, qui accompagne le remboursement de votre facture {invoice.number}" in body
    assert "Montant remboursé : 5,00 € TTC" in body
    assert note.number in attached_pdf_text(message, f"{note.number}.pdf")
