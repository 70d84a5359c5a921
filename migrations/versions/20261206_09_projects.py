"""projects: the projects of each Parcours with their criteria, what learners hand in, and the mentor's
evaluation criterion by criterion

Revision ID: 20261206_09
Revises: 20261206_08
Create Date: 2026-12-06 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20261206_09'
down_revision = '20261206_08'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parcours_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('brief_fr', sa.Text(), nullable=False),
    sa.Column('brief_en', sa.Text(), nullable=False),
    sa.Column('deliverables_fr', sa.Text(), nullable=False),
    sa.Column('deliverables_en', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('opens_after_previous', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parcours_id'], ['parcours.id'], name=op.f('fk_project_parcours_id_parcours')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('parcours_id', 'position', name='uq_project_position')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_parcours_id'), ['parcours_id'], unique=False)

    op.create_table('project_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_fr', sa.Text(), nullable=False),
    sa.Column('label_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_criterion_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_criterion')),
    sa.UniqueConstraint('project_id', 'position', name='uq_project_criterion_position')
    )
    with op.batch_alter_table('project_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_criterion_project_id'), ['project_id'], unique=False)

    op.create_table('project_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_type', sa.String(length=60), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_content', sa.LargeBinary(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('awaiting_evaluation', 'validated', 'to_rework',
        name='projectstatus', native_enum=False, length=30), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['evaluator_id'], ['user_account.id'],
        name=op.f('fk_project_submission_evaluator_id_user_account')),
    sa.ForeignKeyConstraint(['learner_id'], ['user_account.id'],
        name=op.f('fk_project_submission_learner_id_user_account')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_submission_project_id_project')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'],
        name=op.f('fk_project_submission_subscription_id_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_submission')),
    sa.UniqueConstraint('project_id', 'learner_id', 'attempt', name='uq_project_submission_attempt')
    )
    with op.batch_alter_table('project_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_submission_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_submission_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_submission_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_submission_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('criterion_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['project_criterion.id'],
        name=op.f('fk_criterion_evaluation_criterion_id_project_criterion')),
    sa.ForeignKeyConstraint(['submission_id'], ['project_submission.id'],
        name=op.f('fk_criterion_evaluation_submission_id_project_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_evaluation')),
    sa.UniqueConstraint('submission_id', 'criterion_id', name='uq_criterion_evaluation')
    )
    with op.batch_alter_table('criterion_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_evaluation_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('criterion_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_evaluation_submission_id'))

    op.drop_table('criterion_evaluation')
    with op.batch_alter_table('project_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_submission_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_project_submission_status'))
        batch_op.drop_index(batch_op.f('ix_project_submission_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_submission_learner_id'))

    op.drop_table('project_submission')
    with op.batch_alter_table('project_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_criterion_project_id'))

    op.drop_table('project_criterion')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_parcours_id'))

    op.drop_table('project')
