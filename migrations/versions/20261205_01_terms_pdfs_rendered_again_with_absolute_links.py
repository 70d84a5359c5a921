"""terms PDFs rendered again, their links absolute

Revision ID: 20261205_01
Revises: 20261204_04
Create Date: 2026-12-05 19:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261205_01'
down_revision = '20261204_04'
branch_labels = None
depends_on = None


def upgrade():
    # The PDFs stored so far link to "file:///contact" and the like (root-relative links with no site around
    # them). Their text is the same as the new ones'; without them, the workers' sweep renders each version again
    # with links to the public address, and the page meanwhile says the PDF is being prepared.
    op.execute("DELETE FROM rendered_pdf")


def downgrade():
    pass  # the PDFs rendered again stay: their links work
