"""peer-reviewed assignments: the assignment of a course and its rubric, submissions, peer reviews

Revision ID: 20261126_10
Revises: 20261126_09
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "20261126_10"
down_revision = '20261126_09'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('instructions_fr', sa.Text(), nullable=False),
    sa.Column('instructions_en', sa.Text(), nullable=False),
    sa.Column('own_pass_mark_percent', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assignment_course_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('course_id', name=op.f('uq_assignment_course_id'))
    )
    op.create_table('assignment_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_type', sa.String(length=60), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_content', sa.LargeBinary(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('awaiting_review', 'reviewed', name='submissionstatus', native_enum=False, length=30), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('grade_percent', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_submission_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_assignment_submission_reviewer_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_assignment_submission_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_submission')),
    sa.UniqueConstraint('assignment_id', 'user_id', 'attempt', name='uq_submission_attempt')
    )
    op.create_index(op.f('ix_assignment_submission_assignment_id'), 'assignment_submission', ['assignment_id'], unique=False)
    op.create_index(op.f('ix_assignment_submission_reviewer_id'), 'assignment_submission', ['reviewer_id'], unique=False)
    op.create_index(op.f('ix_assignment_submission_status'), 'assignment_submission', ['status'], unique=False)
    op.create_index(op.f('ix_assignment_submission_user_id'), 'assignment_submission', ['user_id'], unique=False)
    op.create_table('rubric_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_fr', sa.Text(), nullable=False),
    sa.Column('label_en', sa.Text(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_rubric_criterion_assignment_id_assignment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criterion')),
    sa.UniqueConstraint('assignment_id', 'position', name='uq_rubric_criterion_position')
    )
    op.create_index(op.f('ix_rubric_criterion_assignment_id'), 'rubric_criterion', ['assignment_id'], unique=False)
    op.create_table('peer_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_peer_review_reviewer_id_user_account')),
    sa.ForeignKeyConstraint(['submission_id'], ['assignment_submission.id'], name=op.f('fk_peer_review_submission_id_assignment_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_review')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_peer_review_submission_id'))
    )
    op.create_index(op.f('ix_peer_review_reviewer_id'), 'peer_review', ['reviewer_id'], unique=False)
    op.create_table('criterion_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criterion.id'], name=op.f('fk_criterion_score_criterion_id_rubric_criterion')),
    sa.ForeignKeyConstraint(['review_id'], ['peer_review.id'], name=op.f('fk_criterion_score_review_id_peer_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_score')),
    sa.UniqueConstraint('review_id', 'criterion_id', name='uq_criterion_score_review_criterion')
    )
    op.create_index(op.f('ix_criterion_score_review_id'), 'criterion_score', ['review_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_criterion_score_review_id'), table_name='criterion_score')
    op.drop_table('criterion_score')
    op.drop_index(op.f('ix_peer_review_reviewer_id'), table_name='peer_review')
    op.drop_table('peer_review')
    op.drop_index(op.f('ix_rubric_criterion_assignment_id'), table_name='rubric_criterion')
    op.drop_table('rubric_criterion')
    op.drop_index(op.f('ix_assignment_submission_user_id'), table_name='assignment_submission')
    op.drop_index(op.f('ix_assignment_submission_status'), table_name='assignment_submission')
    op.drop_index(op.f('ix_assignment_submission_reviewer_id'), table_name='assignment_submission')
    op.drop_index(op.f('ix_assignment_submission_assignment_id'), table_name='assignment_submission')
    op.drop_table('assignment_submission')
    op.drop_table('assignment')
    # ### end Alembic commands ###
