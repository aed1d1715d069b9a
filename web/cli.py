"""The `liancha` command: the Flask CLI (run, db, shell, routes) plus Liancha's own commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from web import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, set_debug_flag=False)
def main() -> None:
    """联查 Liancha: 一业一查 joint 双随机、一公开 inspections."""


def _register_commands() -> None:
    from web import commands

    commands.register(main)


_register_commands()
