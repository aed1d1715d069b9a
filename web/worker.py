"""`liancha worker [--burst]`: an RQ worker with its scheduler on REDIS_URL, running Liancha's
jobs and the periodic tick (every 30 s, scheduled once however many workers run)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue, Worker

from adapters.db import db
from adapters.jobs.registry import load_modules
from adapters.jobs.rq_queue import QUEUE_NAME, schedule_tick


class LianchaWorker(Worker):
    """An RQ worker whose work horse runs each job in a fresh app context of `app`."""

    def __init__(self, *args, app: Flask, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job, queue, execution) -> bool:
        with self.app.app_context():
            # the horse is a fork: never reuse the parent's pooled connections
            db.engine.dispose(close=False)
            return super().perform_job(job, queue, execution)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        # heals a broken tick chain (a tick killed before it scheduled the next one)
        schedule_tick(self.queues[0])


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit (no periodic tick).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (needs REDIS_URL)."""
    settings = current_app.config["LIANCHA_SETTINGS"]
    if not settings.redis_url:
        raise click.ClickException(
            "REDIS_URL is not set. Without Redis, background jobs run inside the web process and no "
            "worker is needed; set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to use `liancha worker`."
        )
    load_modules()
    connection = Redis.from_url(settings.redis_url)
    queue = Queue(QUEUE_NAME, connection=connection)
    worker = LianchaWorker([queue], connection=connection, app=current_app._get_current_object())
    if not burst:
        schedule_tick(queue)
    worker.work(burst=burst, with_scheduler=True)
