"""`liancha audit verify [--stream S]`: check every hash chain of the audit trail."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("audit")
def audit_group() -> None:
    """The audit trail (审计轨迹)."""


@audit_group.command("verify")
@click.option("--stream", default=None, help='Only this stream, e.g. "case:123" or "admin".')
@with_appcontext
def verify_command(stream: str | None) -> None:
    """Report every changed, removed, reordered or inserted event; exit code 1 if any."""
    from adapters.audit_store import verify
    from adapters.db import db

    count, problems = verify(db.session, stream)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"FAILED: {len(problems)} problem(s) in {count} event(s)")
        raise SystemExit(1)
    click.echo(f"OK: {count} event(s) verified")
