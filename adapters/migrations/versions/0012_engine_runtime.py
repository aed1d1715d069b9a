"""case engine runtime changes (audit batching, task state)

The audit store now writes the events of one unit of work together: one multi-row INSERT, then one
UPDATE that may move the stream's head forward by several events. The head triggers change
accordingly: a head may only move forward (never back, never
to another stream, never deleted; checked at once), and whatever it is set to must be a stored
event of its stream with that hash, or the empty start (seq 0, genesis hash) — checked at commit
(a deferred constraint trigger, so that the order of the two writes does not matter). So a head still
cannot be moved past missing events or pointed at a forged hash.

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
    """CREATE OR REPLACE FUNCTION audit_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.stream <> OLD.stream OR NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'audit_heads only moves forward: % refused', TG_OP;
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_forward_only()""",
    # checked at commit, whatever the order in which the events and the head were written
    f"""CREATE FUNCTION audit_heads_name_an_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT (NEW.seq = 0 AND NEW.hash = '{GENESIS}') AND NOT EXISTS (
        SELECT 1 FROM audit_events e WHERE e.stream = NEW.stream AND e.seq = NEW.seq AND e.hash = NEW.hash
      ) THEN
        RAISE EXCEPTION 'audit_heads must name a stored event: % refused', TG_OP;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER audit_heads_name_an_event AFTER INSERT OR UPDATE ON audit_heads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_heads_name_an_event()""",
]

PG_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_heads_name_an_event ON audit_heads",
    "DROP FUNCTION IF EXISTS audit_heads_name_an_event()",
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
