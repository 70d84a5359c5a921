"""guardian acts: what a guardian did for the learner from the guardian's space

Revision ID: 20261206_06
Revises: 20261206_05
Create Date: 2026-12-06 04:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_06'
down_revision = '20261206_05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'guardian_act',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('approval_id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['approval_id'], ['guardian_approval.id'],
                                name=op.f('fk_guardian_act_approval_id_guardian_approval')),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
                                name=op.f('fk_guardian_act_subscription_id_subscription')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_act')),
    )
    op.create_index(op.f('ix_guardian_act_subscription_id'), 'guardian_act', ['subscription_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_guardian_act_subscription_id'), table_name='guardian_act')
    op.drop_table('guardian_act')
