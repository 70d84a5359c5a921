"""Each invoice and credit note goes to the learner by mail as soon as its PDF exists, the PDF attached: the
proof of a renewal's payment, of a first month, of an L444-8 indemnity, of a refund. The PDF is rendered by the
job queue after the payment's transaction (see invoices.py); the mail leaves with it, never before it."""

from app.extensions import db
from app.models import Invoice, Subscription
from app.services.billing import invoices
from app.services.commerce import subscription_mail


def render_and_send(invoice_id: int) -> bool:
    """Render and store the invoice's PDF (see `invoices.render_and_store`) and, when this call stored it, queue
    its mail in the same transaction: one mail per invoice, however many workers rendered it."""
    if not invoices.render_and_store(invoice_id):
        return False
    invoice = db.session.get_one(Invoice, invoice_id)
    # Every invoice is a subscription's: its first month, a renewal, an indemnity, or a refund of one of them.
    assert invoice.subscription_id is not None
    subscription_mail.invoice_ready(db.session.get_one(Subscription, invoice.subscription_id), invoice)
    return True
