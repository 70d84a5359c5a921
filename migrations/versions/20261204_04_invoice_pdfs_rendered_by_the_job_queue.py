"""invoice PDFs rendered by the job queue

Revision ID: 20261204_04
Revises: 20261204_03
Create Date: 2026-12-04 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261204_04'
down_revision = '20261204_03'
branch_labels = None
depends_on = None


def upgrade():
    # The invoice row is written under the counter's lock; its PDF is rendered by a job once that transaction has
    # committed, so both columns stay empty for the few seconds in between.
    with op.batch_alter_table('invoice') as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('pdf_sha256', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    with op.batch_alter_table('invoice') as batch_op:
        batch_op.alter_column('pdf_sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
