"""What every benchmark shares: the result line, timing, discovery and scratch databases."""

from __future__ import annotations

import importlib
import json
import pkgutil
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NOT_BENCHMARKS = {"common"}


@dataclass(frozen=True)
class Result:
    """The last line a benchmark prints: ratio = floor time / measured time (higher is better)."""

    bench: str
    figure: str
    ratio: float
    goal: str
    ok: bool

    def json_line(self) -> str:
        return json.dumps(
            {
                "bench": self.bench,
                "figure": self.figure,
                "ratio": round(self.ratio, 3),
                "goal": self.goal,
                "ok": self.ok,
            },
            ensure_ascii=False,
        )


class Stopwatch:
    def __init__(self) -> None:
        self.seconds = 0.0


@contextmanager
def timed() -> Iterator[Stopwatch]:
    watch = Stopwatch()
    start = time.perf_counter()
    try:
        yield watch
    finally:
        watch.seconds = time.perf_counter() - start


def discover() -> list[str]:
    """Names of the benchmark modules in this package."""
    import bench

    return sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if not m.name.startswith("_") and m.name not in NOT_BENCHMARKS and not m.ispkg
    )


def load(name: str):
    if name not in discover():
        raise SystemExit(f"unknown benchmark {name!r}; known: {', '.join(discover())}")
    return importlib.import_module(f"bench.{name}")


def _url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@contextmanager
def scratch_databases(admin_url: str, count: int = 1, template: str | None = None) -> Iterator[list[str]]:
    """`count` fresh databases `liancha_bench_<random>` (optionally copies of `template`),
    dropped afterwards; yields their psycopg URLs."""
    names = [f"liancha_bench_{secrets.token_hex(5)}" for _ in range(count)]
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        try:
            for name in names:
                suffix = f' TEMPLATE "{template}"' if template else ""
                admin.execute(f'CREATE DATABASE "{name}"{suffix}')
            yield [_url(admin_url, name) for name in names]
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    """Bring a database to the newest schema the way `liancha db upgrade` does."""
    from flask_migrate import upgrade

    from web import create_app
    from web.settings import load_settings

    env = {
        "DATABASE_URL": sqlalchemy_url(url),
        "SECRET_KEY": "bench",
        "LIANCHA_ENV": "testing",
        "DEPLOY_PROCESSES_ON_START": "0",
    }
    app = create_app({"TESTING": True}, settings=load_settings(env))
    with app.app_context():
        upgrade()
        from adapters.db import db

        db.engine.dispose()


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]
