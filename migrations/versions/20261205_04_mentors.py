"""mentors: the role, the Parcours each accompanies, the mentor of each Premium Plus subscription

Revision ID: 20261205_04
Revises: 20261205_03
Create Date: 2026-12-05 22:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261205_04'
down_revision = '20261205_03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_mentor', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'mentor_parcours',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('parcours_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'],
                                name=op.f('fk_mentor_parcours_mentor_id_user_account')),
        sa.ForeignKeyConstraint(['parcours_id'], ['parcours.id'],
                                name=op.f('fk_mentor_parcours_parcours_id_parcours')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_parcours')),
        sa.UniqueConstraint('mentor_id', 'parcours_id', name='uq_mentor_parcours'),
    )
    with op.batch_alter_table('mentor_parcours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_parcours_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_parcours_parcours_id'), ['parcours_id'], unique=False)
    op.create_table(
        'mentor_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'],
                                name=op.f('fk_mentor_assignment_mentor_id_user_account')),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
                                name=op.f('fk_mentor_assignment_subscription_id_subscription')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_assignment')),
    )
    with op.batch_alter_table('mentor_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_assignment_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_assignment_subscription_id'), ['subscription_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mentor_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_assignment_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_assignment_mentor_id'))
    op.drop_table('mentor_assignment')
    with op.batch_alter_table('mentor_parcours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_parcours_parcours_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_parcours_mentor_id'))
    op.drop_table('mentor_parcours')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('is_mentor')
