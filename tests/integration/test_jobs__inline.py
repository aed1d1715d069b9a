"""Background jobs without Redis, on SQLite and PostgreSQL: run after commit, retried, visible."""

import pytest

from adapters.db import db
from adapters.jobs import periodic
from adapters.jobs.inline import InlineQueue
from adapters.jobs.registry import UnknownJob
from adapters.models import JobRun
from tests import factories as f
from tests.integration.jobs_sample import counted
from web.jobs import EXTENSION, get_job_queue


@pytest.fixture
def queue(app):
    slept = []
    q = InlineQueue(app, (5, 5, 5), sleep=slept.append)
    q.slept = slept
    return q


def _run(run_id: str) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, int(run_id))


def test_jobs_inline__default_queue_is_in_process(app):
    assert get_job_queue(app).mode == "in-process" and get_job_queue(app) is get_job_queue(app)


def test_jobs_inline__job_runs_after_commit(app, queue):
    run_id = queue.enqueue("test.count", name="a")
    assert counted("a") is None and _run(run_id).status == "queued"
    db.session.commit()
    assert counted("a") == 1
    run = _run(run_id)
    assert (run.status, run.attempts, run.finished_at is not None) == ("done", 1, True)


def test_jobs_inline__rolled_back_job_never_runs(app, queue):
    queue.enqueue("test.count", name="b")
    db.session.rollback()
    db.session.commit()  # a later commit must not run what was rolled back
    assert counted("b") is None
    assert db.session.execute(db.select(JobRun)).scalars().all() == []


def test_jobs_inline__flaky_job_is_retried_with_backoff(app, queue, tmp_path):
    run_id = queue.enqueue("test.flaky", path=str(tmp_path / "marks"), failures=2, name="c")
    db.session.commit()
    run = _run(run_id)
    assert (run.status, run.attempts, counted("c")) == ("done", 3, 1)
    assert "attempt 2 fails" in run.last_error
    assert queue.slept == [2.0, 2.0]  # backoff, capped in-process


def test_jobs_inline__failing_job_ends_failed_and_visible(app, queue, client):
    run_id = queue.enqueue("test.fail", message="邮件服务器不可达")
    db.session.commit()
    run = _run(run_id)
    assert (run.status, run.attempts) == ("failed", 4)
    assert "RuntimeError: 邮件服务器不可达" in run.last_error and counted("fail-attempted") is None
    f.user("office1", ["office"])
    db.session.commit()
    f.login(client, "office1")
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "test.fail" in page and "邮件服务器不可达" in page and f"/admin/jobs/{run_id}/retry" in page


def test_jobs_inline__same_key_twice_runs_once(app, queue):
    first = queue.enqueue("test.count", key="notify:1", name="d")
    again = queue.enqueue("test.count", key="notify:1", name="d")
    db.session.commit()
    later = queue.enqueue("test.count", key="notify:1", name="d")
    db.session.commit()
    assert first == again == later and counted("d") == 1
    assert db.session.execute(db.select(db.func.count()).select_from(JobRun)).scalar() == 1


def test_jobs_inline__failed_key_enqueued_again_is_tried_again(app, queue, tmp_path):
    marks = str(tmp_path / "marks")
    run_id = queue.enqueue("test.flaky", key="k", path=marks, failures=4, name="e")
    db.session.commit()
    assert _run(run_id).status == "failed"
    assert queue.enqueue("test.flaky", key="k", path=marks, failures=4, name="e") == run_id
    db.session.commit()
    assert (_run(run_id).status, counted("e")) == ("done", 1)


def test_jobs_inline__unknown_job_is_refused_at_enqueue(app, queue):
    with pytest.raises(UnknownJob):
        queue.enqueue("no.such.job")
    with pytest.raises(TypeError):
        queue.enqueue("test.count", name=object())


def test_jobs_inline__retry_button_runs_a_failed_job_again(app, queue, client, tmp_path):
    app.extensions[EXTENSION] = queue  # the page's queue, with its recorded sleeps
    run_id = queue.enqueue("test.flaky", path=str(tmp_path / "marks"), failures=4, name="f")
    f.user("admin1", ["sysadmin"])
    db.session.commit()
    assert _run(run_id).status == "failed"
    f.login(client, "admin1")
    assert client.post(f"/admin/jobs/{run_id}/retry").status_code == 400  # no CSRF token
    token = f.csrf_token(client, "/admin/jobs/")
    resp = client.post(f"/admin/jobs/{run_id}/retry", data={"csrf_token": token})
    assert resp.status_code == 302
    assert (_run(run_id).status, counted("f")) == ("done", 1)
    assert client.post(f"/admin/jobs/{run_id}/retry", data={"csrf_token": token}).status_code == 409


def test_jobs_inline__savepoint_commit_waits_for_the_outer_commit(app, queue):
    with db.session.begin_nested():
        queue.enqueue("test.count", name="g")
    assert counted("g") is None
    db.session.commit()
    assert counted("g") == 1


@pytest.mark.parametrize("roles, status", [(["inspector"], 403), (["auditor"], 403), (["office"], 200)])
def test_jobs_inline__admin_page_needs_office_or_sysadmin(app, client, roles, status):
    f.user("someone", roles)
    db.session.commit()
    f.login(client, "someone")
    assert client.get("/admin/jobs/").status_code == status


def test_jobs_inline__failing_periodic_hook_is_recorded(app, monkeypatch):
    def broken() -> None:
        raise RuntimeError("wake-up failed")

    monkeypatch.setitem(periodic._HOOKS, "broken", broken)
    assert periodic.tick() == {"wake_due": "ok", "broken": "failed"}
    assert periodic.tick()["broken"] == "failed"
    run = db.session.execute(db.select(JobRun)).scalar_one()
    assert (run.name, run.status, run.attempts) == ("wake_due_instances", "failed", 2)
    assert "wake-up failed" in run.last_error
