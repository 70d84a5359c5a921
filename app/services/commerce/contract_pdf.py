"""The signed Premium Plus contract as a tagged PDF (PDF/UA-1): the learner's durable copy of what was signed.

Rendered once, by the job queue, after the signature's transaction has committed (contracts.CONTRACT_RENDER_FLAG
marks it), in the learner's language, and kept as it was; then mailed to the learner (and to the approving
guardian) with the PDF attached. It holds the parties, the Parcours, the prices and dates of the contract page,
and the version of the terms the learner accepted at the order, Annexe 1 (article L444-8) included.
"""

import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.i18n import force_language
from app.models import Consent, ContractPdf, LegalDocumentVersion, Subscription
from app.models.commerce import ConsentKind, OfferKind
from app.services.commerce import contracts, subscription_mail
from app.services.common import clock, mail, markdown, pdf, rows
from app.services.legal import documents


def accepted_terms(subscription: Subscription) -> LegalDocumentVersion | None:
    """The version of the terms accepted with the order (the box ticked at its payment step)."""
    version: LegalDocumentVersion | None = db.session.scalar(
        select(LegalDocumentVersion).join(Consent, Consent.document_version_id == LegalDocumentVersion.id)
        .where(Consent.order_id == subscription.order_id, Consent.kind == ConsentKind.TERMS)
        .order_by(Consent.id.desc()).limit(1))
    return version


def render(subscription: Subscription, language: str) -> bytes:
    terms = accepted_terms(subscription)
    with force_language(language):
        body = terms.t("body") if terms is not None else ""
        html = current_app.jinja_env.get_template("pdf/contract.html").render(
            subscription=subscription, learner=subscription.user, terms=terms, language=language,
            company=current_app.config["COMPANY"], contract_price=contracts.contract_price_cents(subscription),
            advance_cap=contracts.advance_cap_cents(subscription),
            terms_html=markdown.to_html(documents.body_without_title(body),
                                        link_base=current_app.config["PUBLIC_BASE_URL"]))
    return pdf.render_pdf(html, "pdf/ua-1")


def stored(subscription_id: int) -> ContractPdf | None:
    found: ContractPdf | None = db.session.scalar(select(ContractPdf).where(
        ContractPdf.subscription_id == subscription_id))
    return found


def render_and_send(subscription_id: int) -> bool:
    """Render and store the signed contract's PDF unless it is stored already, and when this call stored it, mail
    it in the same transaction; True when it did. Never commits: the job does."""
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.signed_at is None or stored(subscription_id) is not None:
        return False
    language = subscription.user.locale
    content = render(subscription, language)
    rows.insert_if_absent(ContractPdf, {"subscription_id": subscription_id, "language": language,
                                        "content": content, "sha256": hashlib.sha256(content).hexdigest(),
                                        "created_at": clock.now()}, ["subscription_id"])
    kept = stored(subscription_id)
    if kept is None or kept.content != content:
        return False  # another worker stored its copy first, and sent it
    subscription_mail.contract_signed(subscription, mail.Attachment(file_name(subscription), "application/pdf",
                                                                    content))
    return True


def file_name(subscription: Subscription) -> str:
    return f"contrat-premium-plus-{subscription.order.reference}.pdf"


def waiting(signed_before: datetime) -> list[int]:
    """Contracts signed by `signed_before` whose PDF is not stored yet, newest first (for the periodic sweep)."""
    return list(db.session.scalars(
        select(Subscription.id).outerjoin(ContractPdf, ContractPdf.subscription_id == Subscription.id)
        .where(Subscription.offer == OfferKind.PLUS, Subscription.signed_at <= signed_before, ContractPdf.id.is_(None))
        .order_by(Subscription.id.desc())))
