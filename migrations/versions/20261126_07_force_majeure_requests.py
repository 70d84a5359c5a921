"""force majeure requests of Premium Plus learners

Revision ID: 20261126_07
Revises: 20261126_06
Create Date: 2026-11-26 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "20261126_07"
down_revision = "20261126_06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('force_majeure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_type', sa.String(length=60), nullable=True),
    sa.Column('document', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'accepted', 'refused', name='forcemajeurestatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_force_majeure_request_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_force_majeure_request_subscription_id_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_majeure_request'))
    )
    with op.batch_alter_table('force_majeure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_force_majeure_request_subscription_id'), ['subscription_id'], unique=False)


def downgrade():
    with op.batch_alter_table('force_majeure_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_force_majeure_request_subscription_id'))
    op.drop_table('force_majeure_request')
