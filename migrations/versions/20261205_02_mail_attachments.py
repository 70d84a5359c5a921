"""documents sent with a mail (an invoice's PDF)

Revision ID: 20261205_02
Revises: 20261205_01
Create Date: 2026-12-05 22:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261205_02'
down_revision = '20261205_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'],
                                name=op.f('fk_outbox_attachment_message_id_outbox_message'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachment')),
    )
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachment_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachment_message_id'))
    op.drop_table('outbox_attachment')
