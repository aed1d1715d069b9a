"""case engine runtime changes (audit batching, task state)

The audit store now writes the events of one unit of work together: one multi-row INSERT, then one
head write that may move the head forward by several events, and a stream's head is inserted
with its first events. On PostgreSQL the head trigger changes accordingly: a head may only move
forward (never back, never to another stream, never deleted), and whatever it is set to must be
a stored event of its stream with that hash — so it still cannot be moved past missing events or
pointed at a forged hash.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

GENESIS = "0" * 64

PG_UPGRADE = [
    "DROP TRIGGER IF EXISTS audit_heads_forward_only ON audit_heads",
    f"""CREATE OR REPLACE FUNCTION audit_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_heads only moves forward: % refused', TG_OP;
      END IF;
      IF TG_OP = 'UPDATE' AND (NEW.stream <> OLD.stream OR NEW.seq <= OLD.seq) THEN
        RAISE EXCEPTION 'audit_heads only moves forward: % refused', TG_OP;
      END IF;
      IF NOT (NEW.seq = 0 AND NEW.hash = '{GENESIS}') AND NOT EXISTS (
        SELECT 1 FROM audit_events e WHERE e.stream = NEW.stream AND e.seq = NEW.seq AND e.hash = NEW.hash
      ) THEN
        RAISE EXCEPTION 'audit_heads must name a stored event: % refused', TG_OP;
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_heads_forward_only BEFORE INSERT OR UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_forward_only()""",
]

PG_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_heads_forward_only ON audit_heads",
    """CREATE OR REPLACE FUNCTION audit_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.stream <> OLD.stream OR NEW.seq <> OLD.seq + 1 THEN
        RAISE EXCEPTION 'audit_heads only moves forward: % refused', TG_OP;
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_forward_only()""",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DOWNGRADE:
            op.execute(statement)
