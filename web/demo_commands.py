"""`liancha demo`: fill the database with the deterministic demo data set (adapters.demo)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

ROLE_NAMES = {"sysadmin": "系统管理员", "office": "双随机办", "officer": "部门", "inspector": "执法检查人员"}
ROLE_NAMES["auditor"] = "督查"


@click.command("demo")
@click.option("--seed", type=int, default=None, help="Random seed (default 20261122); same seed, same data.")
@click.option("--enterprises", type=click.IntRange(min=1), default=20000, show_default=True)
@click.option("--inspectors", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users or data.")
@click.option("--reset", is_flag=True, help="Delete ALL rows of every table first, then build.")
@with_appcontext
def demo(seed: int | None, enterprises: int, inspectors: int, if_empty: bool, reset: bool) -> None:
    """Build the demo data set and print the demo users with their passwords."""
    from adapters.demo import DEFAULT_SEED, build, is_populated, wipe
    from web.auth import hash_password
    from web.runtime import engine, workflow

    if if_empty and reset:
        raise click.UsageError("--if-empty and --reset exclude each other")
    if reset:
        wipe()
        click.echo("all tables emptied")
    elif is_populated():
        if if_empty:
            click.echo("database already has data: demo skipped")
            return
        raise click.ClickException("the database already has data; use --reset to replace it")
    summary = build(
        hash_password=hash_password,
        seed=DEFAULT_SEED if seed is None else seed,
        enterprises=enterprises,
        inspectors=inspectors,
        engine=engine(),
        workflow=workflow,
    )
    counts = ", ".join(f"{name} {count}" for name, count in summary.counts.items())
    click.echo(f"demo data built with seed {summary.seed} in {summary.seconds:.1f} s: {counts}")
    click.echo(_users_table(summary.users))


def _users_table(users) -> str:
    header = ("username", "password", "role", "department")
    rows = [header] + [
        (u.username, u.password, "/".join(ROLE_NAMES.get(r, r) for r in u.roles), u.department or "-")
        for u in users
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
