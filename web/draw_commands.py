"""`liancha draw verify ID`: recompute a draw from its record; exit 0 on a match, 1 otherwise."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("draw")
def draw_group() -> None:
    """Draws (随机抽取): verify a draw record."""


@draw_group.command("verify")
@click.argument("draw_id", type=int)
@with_appcontext
def verify_command(draw_id: int) -> None:
    """Recompute draw DRAW_ID (commitment, seed, pool hash, targets, inspectors, re-draws)."""
    from adapters.db import db
    from adapters.draws.verify import verify_draw
    from engine.errors import NotFound
    from web.runtime import engine

    try:
        report = verify_draw(db.session, engine(), draw_id)
    except NotFound as err:
        click.echo(f"MISMATCH: {err.message}")
        raise SystemExit(1) from None
    for problem in report.problems:
        click.echo(f"- {problem}")
    if not report.match:
        click.echo(f"MISMATCH: draw {draw_id} ({report.status}): {len(report.problems)} problem(s)")
        raise SystemExit(1)
    click.echo(f"MATCH: draw {draw_id} ({report.status}) recomputes to the stored record")
