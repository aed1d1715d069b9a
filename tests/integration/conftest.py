"""Fixtures shared by the integration tests."""

from __future__ import annotations

import os

import pytest
from redis import Redis

from adapters.db import db
from tests.conftest import _empty_tables, _make_app


@pytest.fixture
def rq_app(pg_database, redis_url, tmp_path):
    """An app on the test PostgreSQL database with jobs on Redis, and the environment for a
    `liancha worker` subprocess in `app.worker_env` (Redis flushed before and after)."""
    from flask_migrate import upgrade

    redis = Redis.from_url(redis_url)
    redis.flushdb()
    env = {"REDIS_URL": redis_url, "JOB_RETRY_INTERVALS": "0,0,0"}
    app = _make_app(pg_database, tmp_path, env)
    with app.app_context():
        upgrade()
        _empty_tables()
        app.worker_env = {
            **os.environ,
            **env,
            "DATABASE_URL": pg_database,
            "SECRET_KEY": "test-secret",
            "LIANCHA_ENV": "testing",
            "LIANCHA_INSTANCE_DIR": str(tmp_path),
            "DEPLOY_PROCESSES_ON_START": "0",
        }
        yield app
        db.session.remove()
    redis.flushdb()
