"""public records of results and follow-up outcomes, corrections

The enterprise name uses the "C" collation on PostgreSQL: the btree index on
(enterprise_name, id) then serves `LIKE 'prefix%'` and the keyset order of the public search
whatever the database collation. SQLite keeps BINARY (searched with GLOB).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NAME_TYPE = sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql')


def upgrade():
    op.create_table('published_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('enterprise_name', NAME_TYPE, nullable=False),
    sa.Column('plan_number', sa.String(length=32), nullable=True),
    sa.Column('plan_name', sa.String(length=128), nullable=True),
    sa.Column('task_number', sa.String(length=32), nullable=True),
    sa.Column('task_name', sa.String(length=128), nullable=True),
    sa.Column('inspection_type', sa.String(length=32), nullable=False),
    sa.Column('organs', sa.JSON(), nullable=False),
    sa.Column('lead_department_id', sa.Integer(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('result_text', sa.String(length=500), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('correction_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], name=op.f('fk_published_results_instance_id_process_instances')),
    sa.ForeignKeyConstraint(['lead_department_id'], ['departments.id'], name=op.f('fk_published_results_lead_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_results')),
    sa.UniqueConstraint('case_id', name=op.f('uq_published_results_case_id'))
    )
    with op.batch_alter_table('published_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_results_lead_department_id'), ['lead_department_id'], unique=False)
        batch_op.create_index('ix_published_results_uscc_id', ['uscc', 'id'], unique=False)
        batch_op.create_index('ix_published_results_name_id', ['enterprise_name', 'id'], unique=False)

    op.create_table('published_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follow_up_id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('department_name', sa.String(length=128), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('outcome_name', sa.String(length=64), nullable=False),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('correction_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_published_follow_ups_department_id_departments')),
    sa.ForeignKeyConstraint(['result_id'], ['published_results.id'], name=op.f('fk_published_follow_ups_result_id_published_results')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_follow_ups')),
    sa.UniqueConstraint('follow_up_id', name=op.f('uq_published_follow_ups_follow_up_id'))
    )
    with op.batch_alter_table('published_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_follow_ups_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_follow_ups_result_id'), ['result_id'], unique=False)

    op.create_table('publication_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('organ', sa.String(length=128), nullable=False),
    sa.Column('corrected_by_id', sa.Integer(), nullable=True),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'], name=op.f('fk_publication_corrections_corrected_by_id_users')),
    sa.ForeignKeyConstraint(['follow_up_id'], ['published_follow_ups.id'], name=op.f('fk_publication_corrections_follow_up_id_published_follow_ups')),
    sa.ForeignKeyConstraint(['result_id'], ['published_results.id'], name=op.f('fk_publication_corrections_result_id_published_results')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_corrections'))
    )
    with op.batch_alter_table('publication_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_corrections_follow_up_id'), ['follow_up_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_corrections_result_id'), ['result_id'], unique=False)


def downgrade():
    op.drop_table('publication_corrections')
    op.drop_table('published_follow_ups')
    op.drop_table('published_results')
