"""Composition root of the case runtime: one ProcessEngine per app (calendar, services, clock),
a WorkflowService per unit of work, the periodic wake-up, deployment of `processes/` at start-up
and the `liancha processes` commands."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app, request
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from adapters.db import db
from adapters.jobs import periodic
from adapters.workflow import jobs as workflow_jobs
from adapters.workflow import versions
from adapters.workflow.calendar import DbCalendar
from adapters.workflow.service import Who, WorkflowService
from adapters.workflow.services import SERVICES
from engine.runtime import ProcessEngine

log = logging.getLogger(__name__)
ENGINE = "liancha.engine"
CALENDAR = "liancha.calendar"


def engine(app: Flask | None = None) -> ProcessEngine:
    return (app or current_app).extensions[ENGINE]


def workflow(app: Flask | None = None) -> WorkflowService:
    """A WorkflowService on the request's session with the app's job queue."""
    from web.jobs import get_job_queue

    app = app or current_app._get_current_object()
    return WorkflowService(db.session, engine(app), get_job_queue(app))


def who() -> Who:
    """The current user as the service's actor, with the client address for the audit trail."""
    from flask_login import current_user

    from web.auth import current_actor

    actor = current_actor()
    name = current_user.display_name if actor else "anonymous"
    return Who(actor=actor, name=name, client_addr=request.remote_addr if request else None)


def init_app(app: Flask) -> None:
    settings = app.config["LIANCHA_SETTINGS"]
    calendar = DbCalendar()
    app.extensions[CALENDAR] = calendar
    app.extensions[ENGINE] = ProcessEngine(calendar, SERVICES, tz=settings.timezone)
    app.extensions[workflow_jobs.FACTORY] = lambda: workflow(app)
    periodic.register("wake_due", workflow_jobs.wake_due)
    app.cli.add_command(processes_group)
    if settings.deploy_processes_on_start:
        with app.app_context():
            deploy_on_start()


def deploy_on_start() -> None:
    """Deploy `processes/` when the app starts; a database not migrated yet is skipped quietly
    (`liancha db upgrade` itself builds the app), a concurrent deploy by another process too."""
    try:
        versions.deploy_directory(db.session, engine())
        db.session.commit()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        log.info("process deployment skipped: the database is not migrated yet")
    except IntegrityError:
        db.session.rollback()
        log.info("process deployment done by another process")


@click.group("processes")
def processes_group() -> None:
    """Process models (流程模型): deploy and list versions."""


@processes_group.command("deploy")
@with_appcontext
def deploy_command() -> None:
    """Deploy every model under processes/ (same content, same version)."""
    results = versions.deploy_directory(db.session, engine())
    db.session.commit()
    for version, created in results:
        mark = "new" if created else "unchanged"
        click.echo(
            f"{version.model_id} v{version.version} {version.status} ({mark}) {version.content_hash[:12]}"
        )
