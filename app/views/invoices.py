"""The learner's invoices and credit notes: the accessible HTML twin and the stored PDF (or, for the few seconds
before the job queue has rendered it, a page saying so), owner only."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from app.services.billing import invoices

bp = Blueprint("invoices", __name__)


def _own_invoice_or_404(number: str):
    """Anyone else's invoice is as good as unknown: 404, never 403 (a number says nothing about who has it)."""
    return invoices.owned_by(current_user.id, number) or abort(404)


@bp.route("/compte/factures/<number>")
@login_required
def invoice(number: str):
    document = _own_invoice_or_404(number)
    return render_template("invoices/invoice.html", invoice=document, title=invoices.document_title(document))


@bp.route("/compte/factures/<number>.pdf")
@login_required
def invoice_pdf(number: str):
    document = _own_invoice_or_404(number)
    if not document.pdf_ready:
        # Rendered by the job queue a few seconds after the payment: the HTML invoice is already there.
        return render_template("invoices/preparing.html", invoice=document,
                               title=invoices.preparing_title(document)), 202
    return Response(document.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{document.number}.pdf"',
                             "Cache-Control": "private, no-cache"})
