"""The signed Premium Plus contract as a tagged PDF: rendered once after the signature, mailed with the PDF
attached, downloadable from the Premium tab and the contract page by its learner only (issue: durable proofs)."""

import email
import email.policy
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import ContractPdf
from app.services.commerce import contract_pdf
from tests import checkout_flow as flow
from tests.conftest import signed_in_client, text_of
from tests.factories import make_user
from tests.pdf_checks import pdf_text, structure_kinds


@pytest.mark.clause("CGS-6.2-05")
def test_the_signed_contract_is_rendered_once_with_its_terms_and_annex(plus_subscriber):
    [stored] = db.session.scalars(select(ContractPdf)).all()
    text = pdf_text(stored.content)
    learner = plus_subscriber.user
    assert learner.full_name in text and "Développeur d'application - Python" in text
    assert "3 600,00 €" in text and "Signé le 12 janvier 2027" in text
    assert "Conditions générales de services acceptées (version 2026-12)" in text  # the version in force in 2027
    assert "Résilier mon abonnement" in text and "avatar" not in text  # its corrected wording
    assert "Il ne peut comporter de clause attributive de compétence" in text  # Annexe 1: L444-8 in full
    assert {"/H1", "/Table", "/TH"} <= structure_kinds(PdfReader(io.BytesIO(stored.content)))
    assert contract_pdf.render_and_send(plus_subscriber.id) is False  # once


@pytest.fixture
def outbox(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))  # only this test's mails
    return tmp_path


@pytest.mark.clause("CGS-6.2-05")
def test_the_contract_is_mailed_with_its_pdf_at_the_signature(outbox, plus_subscriber):
    mails = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
             for path in sorted(outbox.glob("*.eml"))]
    [mail] = [message for message in mails if message["Subject"] == "Votre contrat Premium Plus signé"]
    assert mail["To"] == plus_subscriber.user.email
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"contrat-premium-plus-{plus_subscriber.order.reference}.pdf"
    assert attachment.get_content() == db.session.scalars(select(ContractPdf)).one().content


def test_the_premium_tab_links_the_contract_and_only_its_learner_downloads_it(app, client, plus_subscriber):
    tab = flow.soup(client.get("/compte/parametres/premium"))
    link = tab.select_one("#contract-pdf")
    assert text_of(link) == "Mon contrat signé le 12 janvier 2027 (PDF)"
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == db.session.scalars(select(ContractPdf)).one().content
    stranger = signed_in_client(app, make_user("autre@example.org"))
    assert stranger.get(link["href"]).status_code == 404


def test_while_it_is_rendered_the_page_says_so(client, plus_subscriber):
    db.session.execute(ContractPdf.__table__.delete())
    db.session.commit()
    response = client.get(f"/abonnements/{plus_subscriber.id}/contrat.pdf")
    assert response.status_code == 202
    assert text_of(flow.soup(response).h1) == "Le PDF de votre contrat est en préparation"
