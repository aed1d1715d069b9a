"""register indexes: enterprise name prefix search on PostgreSQL

The enterprise name index becomes a varchar_pattern_ops index on PostgreSQL, so that
`name LIKE '石家庄%'` is served by it whatever the database collation (a plain btree index
serves LIKE only under the C collation). It still serves equality. SQLite keeps its plain
index: the register queries search it with GLOB, which uses a BINARY index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_enterprises_name", table_name="enterprises")
    op.create_index(
        "ix_enterprises_name", "enterprises", ["name"], postgresql_ops={"name": "varchar_pattern_ops"}
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_enterprises_name", table_name="enterprises")
    op.create_index("ix_enterprises_name", "enterprises", ["name"])
