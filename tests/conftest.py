"""Shared fixtures.

Integration tests run on SQLite and on PostgreSQL (`db_backend` is parametrised). PostgreSQL and
Redis must be reachable at 127.0.0.1; outside CI a missing service skips those tests, in CI
(CI=true) it fails them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_REDIS_BASE = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Under pytest-xdist each worker gets its own Redis database (15, 14, …) so flushes don't collide.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_WORKER_NO = int(_WORKER[2:]) if _WORKER[2:].isdigit() else 0
REDIS_TEST_URL = f"{_REDIS_BASE.rsplit('/', 1)[0]}/{int(_REDIS_BASE.rsplit('/', 1)[1]) - _WORKER_NO}"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(what: str, err: Exception):
    """Skip locally, fail in CI: a missing service must never pass silently in CI."""
    message = f"{what} is not reachable: {err}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_database():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as err:
        service_missing("PostgreSQL", err)
    name = f"liancha_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def redis_url():
    try:
        from redis import Redis

        Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except Exception as err:
        service_missing("Redis", err)
    return REDIS_TEST_URL


def _make_app(database_url: str, tmp: Path, extra_env: dict | None = None):
    from web import create_app
    from web.settings import load_settings

    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "LIANCHA_ENV": "testing",
        "DEPLOY_PROCESSES_ON_START": "0",
        **(extra_env or {}),
    }
    return create_app({"TESTING": True}, settings=load_settings(env))


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_backend(request, tmp_path_factory):
    """A migrated database and one app per backend, shared by the session's tests (building an
    app costs ~1 s of route compilation); tables are emptied between tests by `app`."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_database")
    app = _make_app(url, tmp)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield request.param, url, tmp, app
    with app.app_context():
        from adapters.db import db

        db.engine.dispose()


@pytest.fixture
def app(db_backend):
    """The backend's shared app inside an app context, with every table empty."""
    app = db_backend[3]
    with app.app_context():
        _empty_tables()
        app.extensions["liancha.calendar"].invalidate()  # it caches admin-entered years
        yield app
        from adapters.db import db

        db.session.remove()


@pytest.fixture
def fresh_app(db_backend):
    """A newly built app on the backend's database, for tests that change the configuration."""
    backend, url, tmp, _shared = db_backend
    app = _make_app(url, tmp)
    with app.app_context():
        _empty_tables()
        yield app
        from adapters.db import db

        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    from adapters.db import db

    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for t in tables:
                conn.execute(t.delete())


@pytest.fixture
def client(app):
    """A test client whose requests each start with a clean `g` (the `app` fixture keeps one app
    context open, which Flask would otherwise share with every request of the test)."""
    from tests.factories import client as isolated_client

    return isolated_client(app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
