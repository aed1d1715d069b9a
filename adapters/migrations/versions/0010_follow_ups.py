"""follow-up transfers, referrals, revisits

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Nothing to store: a follow-up and a revisit are process instances linked to their case by
    # process_instances.parent_id (indexed), made unique by their business key
    # (follow_up:<follow_up_id>, revisit:<case>:<n>); their state is read from the instances.
    pass


def downgrade():
    pass
