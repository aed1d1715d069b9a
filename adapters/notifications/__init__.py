"""Notifications (站内通知) and their e-mails.

- `listener`: a SQLAlchemy `before_flush` hook that writes a notification for every human-task
  row that becomes ready (assigned, or returned for correction) and for a task handed to someone,
  in the same transaction as the task row; and, when mail is configured, an outbox row per mail
  whose `send_mail` job is enqueued in that transaction too (it runs after the commit).
- `overdue`: the `notify_overdue` service BPMN boundary timers call.
- `recipients`: who is told — the assignee, else the department's users with a fitting role.
- `mail`: the `send_mail` job (SMTP); `queries`: the read side (bell, page, API).

The composition root (web/notifications.py) installs the listener and names the job queue in
`app.extensions[QUEUE]`; without it (a bare script) nothing is written.
"""

QUEUE = "liancha.notifications.queue"
