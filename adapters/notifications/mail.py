"""The `send_mail` job: one outbox row over SMTP (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_SENDER).

Each attempt is recorded on the row (attempts, last_error) and committed before the error is
raised again, so that the queue retries with its back-off (JOB_RETRY_INTERVALS) and a mail that
never goes out stays visible as `failed` on the outbox and as a failed job run. A row already
sent is not sent twice.
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from adapters.db import db
from adapters.jobs.registry import job
from adapters.jobs.runs import describe
from adapters.models import MailOutbox

TIMEOUT_SECONDS = 20


@job("send_mail")
def send_mail(outbox_id: int) -> None:
    session = db.session
    row = session.get(MailOutbox, outbox_id)
    if row is None or row.status == "sent":
        return
    settings = current_app.config["LIANCHA_SETTINGS"]
    row.attempts = (row.attempts or 0) + 1
    try:
        if not settings.mail_server:
            raise RuntimeError("MAIL_SERVER is not set")
        deliver(settings, message(row, settings.mail_sender))
    except Exception as err:
        row.status, row.last_error = "failed", describe(err)
        session.commit()  # the attempt stays recorded when the runner rolls back
        raise
    row.status, row.last_error, row.sent_at = "sent", None, datetime.now(UTC)


def message(row: MailOutbox, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.to_addr
    msg["Subject"] = row.subject
    msg["Message-ID"] = make_msgid(idstring=f"liancha-{row.id}")
    msg.set_content(row.body)
    return msg


def deliver(settings, msg: EmailMessage) -> None:
    with smtplib.SMTP(settings.mail_server, settings.mail_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.mail_use_tls:
            smtp.starttls()
        if settings.mail_username:
            smtp.login(settings.mail_username, settings.mail_password or "")
        smtp.send_message(msg)
