"""Background jobs on Redis: the test enqueues through the app, a real `liancha worker --burst`
subprocess (PostgreSQL test database, Redis db 15) runs them."""

import subprocess
import sys
from pathlib import Path

from rq import Queue
from rq.registry import ScheduledJobRegistry

from adapters.db import db
from adapters.jobs.rq_queue import QUEUE_NAME, schedule_tick
from adapters.models import JobRun
from tests.integration.jobs_sample import counted
from web.cli import main
from web.jobs import get_job_queue

ROOT = Path(__file__).resolve().parents[2]
# the worker process imports the sample jobs, then runs the real `liancha worker --burst`
WORKER = "import tests.integration.jobs_sample; from web.cli import main; main(['worker', '--burst'])"


def _work(app) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=app.worker_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.expire_all()
    return done.stderr


def _queued(app) -> int:
    return Queue(QUEUE_NAME, connection=get_job_queue(app).connection).count


def test_jobs_rq__worker_runs_a_job_and_a_failing_job_ends_failed(rq_app):
    queue = get_job_queue(rq_app)
    assert queue.mode == "rq"
    ok = queue.enqueue("test.count", name="rq")
    bad = queue.enqueue("test.fail", message="公示平台不可达")
    assert _queued(rq_app) == 0  # nothing is pushed before the commit
    db.session.commit()
    assert _queued(rq_app) == 2
    _work(rq_app)
    assert counted("rq") == 1 and counted("fail-attempted") is None
    good, failed = db.session.get(JobRun, int(ok)), db.session.get(JobRun, int(bad))
    assert (good.status, good.attempts) == ("done", 1)
    assert (failed.status, failed.attempts) == ("failed", 4)  # first try and three retries
    assert "公示平台不可达" in failed.last_error and failed.finished_at is not None


def test_jobs_rq__same_key_makes_one_job_that_runs_once(rq_app):
    queue = get_job_queue(rq_app)
    queue.enqueue("test.count", key="publish:9", name="once")
    db.session.commit()
    queue.enqueue("test.count", key="publish:9", name="once")
    db.session.commit()
    assert _queued(rq_app) == 1
    _work(rq_app)
    queue.enqueue("test.count", key="publish:9", name="once")  # already done: nothing to do
    db.session.commit()
    assert _queued(rq_app) == 0
    _work(rq_app)
    assert counted("once") == 1


def test_jobs_rq__rolled_back_enqueue_reaches_no_worker(rq_app):
    get_job_queue(rq_app).enqueue("test.count", name="never")
    db.session.rollback()
    db.session.commit()
    assert _queued(rq_app) == 0


def test_jobs_rq__retried_failed_run_replaces_its_old_rq_job(rq_app, tmp_path):
    queue = get_job_queue(rq_app)
    run_id = queue.enqueue("test.flaky", key="flaky", path=str(tmp_path / "marks"), failures=4, name="later")
    db.session.commit()
    _work(rq_app)
    assert db.session.get(JobRun, int(run_id)).status == "failed"
    queue.retry(int(run_id))
    db.session.commit()
    assert _queued(rq_app) == 1
    _work(rq_app)
    run = db.session.get(JobRun, int(run_id))
    assert (run.status, run.attempts, counted("later")) == ("done", 1, 1)


def test_jobs_rq__tick_is_scheduled_once_per_slot(rq_app):
    queue = Queue(QUEUE_NAME, connection=get_job_queue(rq_app).connection)
    first, second = schedule_tick(queue), schedule_tick(queue)
    assert first == second
    assert ScheduledJobRegistry(queue=queue).get_job_ids() == [first]


def test_jobs_rq__worker_without_redis_says_why(app):
    result = app.test_cli_runner().invoke(main, ["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output
