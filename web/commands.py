"""Liancha's own CLI commands, attached to the `liancha` group."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from web.audit_commands import audit_group
from web.demo_commands import demo
from web.draw_commands import draw_group
from web.import_commands import import_group
from web.worker import worker_command


def register(group: click.Group) -> None:
    group.add_command(create_user)
    group.add_command(audit_group)
    group.add_command(worker_command)
    group.add_command(demo)
    group.add_command(import_group)
    group.add_command(draw_group)


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", default=None)
@click.option(
    "--role", "roles", multiple=True, required=True, help="sysadmin, office, officer, inspector, auditor"
)
@click.option("--department-id", type=int, default=None)
@click.password_option()
@with_appcontext
def create_user(username, display_name, roles, department_id, password):
    """Create a user (or reset an existing user's password and roles)."""
    from adapters.db import db
    from adapters.models import User
    from engine.access import ROLES
    from web.auth import hash_password

    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise click.BadParameter(f"unknown role(s): {', '.join(bad)}")
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        user = User(username=username, display_name=display_name or username, password_hash="")
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.department_id = department_id
    user.set_roles(roles)
    db.session.commit()
    click.echo(f"user {username} saved")
