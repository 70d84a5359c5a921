"""what a learner adds to their own request before it is answered

Revision ID: 20261205_03
Revises: 20261205_02
Create Date: 2026-12-05 22:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261205_03'
down_revision = '20261205_02'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contact_addition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['contact_request.id'],
                                name=op.f('fk_contact_addition_request_id_contact_request')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_addition')),
    )
    with op.batch_alter_table('contact_addition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_addition_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_addition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_addition_request_id'))
    op.drop_table('contact_addition')
