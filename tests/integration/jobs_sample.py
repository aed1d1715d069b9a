"""Jobs used by the job tests (imported by the tests and by the worker subprocess they start).

`count` leaves a visible effect: the tag named `name` has its description counted up by one."""

from __future__ import annotations

from pathlib import Path

from adapters.db import db
from adapters.jobs import job
from adapters.models import Tag


@job("test.count")
def count(name: str) -> None:
    tag = db.session.execute(db.select(Tag).filter_by(name=name)).scalar_one_or_none()
    if tag is None:
        tag = Tag(name=name, description="0")
        db.session.add(tag)
    tag.description = str(int(tag.description) + 1)


@job("test.fail")
def fail(message: str) -> None:
    count("fail-attempted")  # rolled back with the failure: must never show up
    raise RuntimeError(message)


@job("test.flaky")
def flaky(path: str, failures: int, name: str) -> None:
    """Fails `failures` times (counted in a file, which survives rollbacks), then counts."""
    marks = Path(path)
    done = len(marks.read_text().splitlines()) if marks.exists() else 0
    with marks.open("a") as out:
        out.write("attempt\n")
    if done < failures:
        raise RuntimeError(f"attempt {done + 1} fails on purpose")
    count(name)


def counted(name: str) -> int | None:
    tag = db.session.execute(db.select(Tag).filter_by(name=name)).scalar_one_or_none()
    return int(tag.description) if tag else None
