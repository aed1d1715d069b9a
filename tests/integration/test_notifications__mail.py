"""E-mail of notifications through a real local SMTP server (aiosmtpd): an outbox row per mail,
sent by the `send_mail` job after the commit — in-process on both backends, and by a real
`liancha worker` on Redis — retried, and a failure visible on the outbox and the job run."""

from __future__ import annotations

import socket
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from adapters.db import db
from adapters.models import JobRun, MailOutbox
from tests.conftest import _empty_tables, _make_app
from tests.integration.cases_support import build_world, login, start_case

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def mail_env(port: int) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_FROM": "liancha@county.example",
        "JOB_RETRY_INTERVALS": "0,0",
    }


@pytest.fixture
def mail_app(db_backend, smtp, tmp_path):
    """A fresh app on the backend's database with mail settings pointing at the test server."""
    _backend, url, _tmp, _shared = db_backend
    app = _make_app(url, tmp_path, mail_env(smtp.port))
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        db.engine.dispose()


def give_emails(w: dict) -> None:
    for key in ("fire_officer", "fire_inspector", "health_inspector", "lead_officer"):
        w[key].email = f"{key}@county.example"
    db.session.commit()


def outbox() -> list[MailOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def test_mail__each_notification_of_a_user_with_an_address_is_mailed(mail_app, smtp):
    w = build_world()
    give_emails(w)
    start_case(w)
    rows = outbox()
    # notice: lead_officer (lead_inspector/lead_colleague have no address); checklists: three
    assert sorted(r.to_addr for r in rows) == sorted(
        ["lead_officer@county.example"] * 2
        + ["fire_officer@county.example", "fire_inspector@county.example", "health_inspector@county.example"]
    )
    assert {r.status for r in rows} == {"sent"} and all(r.attempts == 1 and r.sent_at for r in rows)
    assert len(smtp.messages) == len(rows)
    to, msg = next(m for m in smtp.messages if m[0] == ["fire_inspector@county.example"])
    assert msg["From"] == "liancha@county.example"
    assert msg["Subject"] == "【联查】新待办任务：录入本部门检查结果"
    assert "石家庄某某餐饮有限公司" in msg.get_content()
    runs = list(db.session.scalars(select(JobRun).where(JobRun.name == "send_mail")))
    assert len(runs) == len(rows) and {r.status for r in runs} == {"done"}
    assert {r.key for r in runs} == {f"mail:{r.id}" for r in rows}


def test_mail__without_an_address_or_mail_server_no_outbox(app, smtp):
    w = build_world()
    give_emails(w)
    start_case(w)  # the shared app has no MAIL_SERVER
    assert outbox() == [] and smtp.messages == []


def test_mail__unreachable_server_is_retried_then_failed_and_visible(db_backend, tmp_path):
    _backend, url, _tmp, _shared = db_backend
    app = _make_app(url, tmp_path, mail_env(free_port()))  # nobody listens there
    with app.app_context():
        _empty_tables()
        try:
            w = build_world()
            w["fire_inspector"].email = "fire_inspector@county.example"
            db.session.commit()
            case = start_case(w)
            (row,) = outbox()
            assert (row.status, row.attempts) == ("failed", 3)  # the first try and two retries
            assert "Connection refused" in row.last_error or "Errno" in row.last_error
            run = db.session.scalar(select(JobRun).where(JobRun.key == f"mail:{row.id}"))
            assert run.status == "failed" and run.last_error
            assert case.status in ("running", "waiting")  # the case went on regardless
            w["office"].set_roles(["office"])
            page = login(app, w["office"]).get("/notifications/outbox").get_data(as_text=True)
            assert "fire_inspector@county.example" in page and "失败" in page
        finally:
            db.session.remove()
            db.engine.dispose()


WORKER = "from web.cli import main; main(['worker', '--burst'])"


def test_mail__rq_worker_sends_the_mail(rq_app, smtp):
    env = mail_env(smtp.port)
    rq_app.config["LIANCHA_SETTINGS"] = _with_mail(rq_app.config["LIANCHA_SETTINGS"], smtp.port)
    w = build_world()
    give_emails(w)
    start_case(w)
    rows = outbox()
    assert rows and {r.status for r in rows} == {"queued"} and smtp.messages == []
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        env={**rq_app.worker_env, **env, "JOB_RETRY_INTERVALS": "0,0,0"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert {r.status for r in outbox()} == {"sent"}
    assert sorted(m[0][0] for m in smtp.messages) == sorted(r.to_addr for r in rows)


def _with_mail(settings, port: int):
    from dataclasses import replace

    return replace(settings, mail_server="127.0.0.1", mail_port=port, mail_sender="liancha@county.example")
