"""Notifications written in the transaction of the task rows they tell about.

`before_flush` sees the human-task rows about to be inserted (a task became ready) and the ones
whose assignee changes (a task handed to someone), adds a Notification per recipient, and for
every new notification of a user with an e-mail address (when MAIL_SERVER is set) a MailOutbox
row. `after_flush` enqueues each outbox row's `send_mail` job: the job run is written in the same
transaction and handed to the queue only after the commit (a rollback sends nothing).

The workflow service knows nothing of this: the listener is installed once per process and acts
only inside an app whose composition root named a job queue (`app.extensions[QUEUE]`).
"""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import Integer, String, bindparam, event, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from adapters.models import HumanTask, MailOutbox, Notification, ProcessInstance, User, UserRole
from adapters.models.base import utcnow
from adapters.notifications import QUEUE
from adapters.notifications.recipients import Recipients, recipients_query, task_roles

NOTIFICATIONS = Notification.__table__

PENDING_MAIL = "liancha.notifications.mail"
PENDING_READY = "liancha.notifications.ready"  # session.info: written after the flush
RECIPIENTS = "liancha.notifications.recipients"  # session.info: look-ups of this transaction
# (process model, task element) whose rows mean "sent back to you": always, or when the task
# was done before in the same case (the follow-up's 移送 returned by the receiving department)
RETURNED_ALWAYS = {("inspection_case", "correct")}
RETURNED_WHEN_AGAIN = {("follow_up", "transfer")}


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def _app():
    from flask import current_app, has_app_context

    if not has_app_context() or QUEUE not in current_app.extensions:
        return None
    return current_app._get_current_object()


def _before_flush(session: Session, _context, _instances) -> None:
    app = _app()
    if app is None:
        return
    new, dirty = session.new, session.dirty
    if RECIPIENTS in session.info and any(
        isinstance(o, User | UserRole) for o in (*new, *dirty, *session.deleted)
    ):
        del session.info[RECIPIENTS]  # users or roles change: look them up anew
    new_tasks = [o for o in new if isinstance(o, HumanTask) and o.state == "ready"]
    handed = [o for o in dirty if isinstance(o, HumanTask) and _handed_over(o)]
    with session.no_autoflush:
        if new_tasks or handed:
            people = _recipients(session)
            # cases inserted in this flush are not in the identity map yet: do not look them up
            pending = {o.id: o for o in new if isinstance(o, ProcessInstance) and o.id is not None}
            mail = bool(app.config["LIANCHA_SETTINGS"].mail_server)
            for task in new_tasks:
                case = pending.get(task.instance_id)
                if mail or task.assignee_id is not None:
                    _notify_ready(session, people, task, case)
                else:  # written after the flush in one INSERT … SELECT of the recipients
                    _later(session, task, case)
            for task in handed:
                _notify_handed(session, task)
        if app.config["LIANCHA_SETTINGS"].mail_server:
            _queue_mail(session, [o for o in session.new if isinstance(o, Notification)])


def _later(session: Session, task: HumanTask, case: ProcessInstance | None) -> None:
    """Note a ready task's notifications for `_after_flush` (no mail to queue: no rows needed)."""
    case = case or session.get(ProcessInstance, task.instance_id)
    kind = "returned" if _is_return(session, case, task) else "assigned"
    session.info.setdefault(PENDING_READY, []).append((task, kind, _case_title(case)))


def _write_later(session: Session, pending: list) -> None:
    """One INSERT … SELECT per task: a notification for each of its recipients (as `Recipients`
    finds them), without reading them into Python first."""
    now = utcnow()
    if len(pending) > 1 and session.get_bind().dialect.name == "postgresql":
        _write_all_later(session, pending, now)
        return
    for task, kind, body in pending:
        roles = task_roles(task)
        if task.department_id is None and not roles:
            continue  # nobody is told
        params = {
            "kind": kind,
            "title": task.name,
            "body": body,
            "instance_id": task.instance_id,
            "task_id": task.id,
            "now": now,
            "department_id": task.department_id,
            "roles": sorted(roles),
        }
        statement = _insert_for(task.department_id is not None, bool(roles))
        session.connection().execute(statement, params)


# PostgreSQL, many tasks in one flush (a batch of cases started): one statement for all of them,
# the same recipients as `recipients_query` (active users of the department, if any, holding one of
# the roles, if any), in task order and then user order
_INSERT_ALL = text("""INSERT INTO notifications (user_id, kind, title, body, instance_id, task_id, created_at)
SELECT u.id, x.kind, x.title, x.body, x.instance_id, x.task_id, CAST(:now AS timestamptz)
FROM json_to_recordset(CAST(:tasks AS json)) AS x(
  n integer, kind varchar, title varchar, body text, instance_id integer, task_id integer,
  department_id integer, roles text)
JOIN users AS u ON u.active IS true
  AND (x.department_id IS NULL OR u.department_id = x.department_id)
  AND (x.roles IS NULL OR u.id IN (
    SELECT r.user_id FROM user_roles AS r WHERE r.role = ANY (string_to_array(x.roles, ','))))
WHERE x.department_id IS NOT NULL OR x.roles IS NOT NULL
ORDER BY x.n, u.id""")


def _write_all_later(session: Session, pending: list, now) -> None:
    tasks = []
    for n, (task, kind, body) in enumerate(pending):
        roles = sorted(task_roles(task))
        tasks.append(
            {
                "n": n,
                "kind": kind,
                "title": task.name,
                "body": body,
                "instance_id": task.instance_id,
                "task_id": task.id,
                "department_id": task.department_id,
                "roles": ",".join(roles) or None,
            }
        )
    session.connection().execute(_INSERT_ALL, {"tasks": json.dumps(tasks, ensure_ascii=False), "now": now})


@cache
def _insert_for(by_department: bool, by_role: bool):
    """The INSERT … SELECT of `_write_later`, built once per shape (bound parameters)."""
    department = bindparam("department_id") if by_department else None
    roles = bindparam("roles", expanding=True) if by_role else None
    found = recipients_query(department, frozenset(), roles_param=roles).subquery()
    columns = ("user_id", "kind", "title", "body", "instance_id", "task_id", "created_at")
    values = select(
        found.c.id,
        bindparam("kind", type_=String),
        bindparam("title", type_=String),
        bindparam("body", type_=String),
        bindparam("instance_id", type_=Integer),
        bindparam("task_id", type_=Integer),
        bindparam("now", type_=NOTIFICATIONS.c.created_at.type),
    ).order_by(found.c.id)
    return insert(NOTIFICATIONS).from_select(columns, values)


def _recipients(session: Session) -> Recipients:
    """The transaction's recipient look-ups (a spawn of 50 cases asks once per department),
    dropped when users or their roles change in it (see `_before_flush`)."""
    people = session.info.get(RECIPIENTS)
    if people is None:
        people = session.info[RECIPIENTS] = Recipients(session)
    return people


@event.listens_for(Session, "after_transaction_end")
def _forget_recipients(session: Session, transaction) -> None:
    if transaction.parent is None or transaction.nested:
        session.info.pop(RECIPIENTS, None)
        session.info.pop(PENDING_READY, None)  # a flush that failed leaves nothing to write


def _handed_over(task: HumanTask) -> bool:
    """The assignee changed to someone other than the person acting (a claim tells no one)."""
    history = inspect(task).attrs.assignee_id.history
    if not history.added or history.added[0] is None or task.state != "ready":
        return False
    return history.added[0] != _acting_user_id()


def _acting_user_id() -> int | None:
    from flask import has_request_context

    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def _notify_ready(
    session: Session, people: Recipients, task: HumanTask, case: ProcessInstance | None = None
) -> None:
    case = case or session.get(ProcessInstance, task.instance_id)
    kind = "returned" if _is_return(session, case, task) else "assigned"
    for person in people.for_task(task):
        session.add(
            Notification(
                user_id=person.id,
                kind=kind,
                title=task.name,
                body=_case_title(case),
                task=task,
                instance=case,
            )
        )


def _notify_handed(session: Session, task: HumanTask) -> None:
    case = session.get(ProcessInstance, task.instance_id)
    session.add(
        Notification(
            user_id=task.assignee_id,
            kind="assigned",
            title=task.name,
            body=_case_title(case),
            task_id=task.id,
            instance_id=task.instance_id,
        )
    )


def _is_return(session: Session, case: ProcessInstance | None, task: HumanTask) -> bool:
    if case is None:
        return False
    key = (case.model_id, task.element_id)
    if key in RETURNED_ALWAYS:
        return True
    if key not in RETURNED_WHEN_AGAIN or case.id is None:
        return False
    # the new row is not written yet: any row found is an earlier round of the same task
    earlier = select(func.count()).where(
        HumanTask.instance_id == case.id, HumanTask.element_id == task.element_id
    )
    return (session.scalar(earlier) or 0) > 0


def _case_title(case: ProcessInstance | None) -> str:
    if case is None:
        return ""
    return case.title or f"{case.model_id} #{case.id}"


# --- mail ------------------------------------------------------------------------------------

SUBJECTS = {"assigned": "新待办任务", "returned": "退回更正", "overdue": "逾期提醒"}


def _queue_mail(session: Session, notes: list[Notification]) -> None:
    if not notes:
        return
    ids = {n.user_id for n in notes}
    emails = dict(
        session.execute(select(User.id, User.email).where(User.id.in_(ids), User.email.is_not(None))).all()
    )
    pending = session.info.setdefault(PENDING_MAIL, [])
    for note in notes:
        address = (emails.get(note.user_id) or "").strip()
        if not address:
            continue
        row = MailOutbox(
            notification=note,
            to_addr=address,
            subject=f"【联查】{SUBJECTS.get(note.kind, '通知')}：{note.title}"[:256],
            body=_mail_body(note),
            status="queued",
            attempts=0,
        )
        session.add(row)
        pending.append(row)


def _mail_body(note: Notification) -> str:
    lines = [f"{SUBJECTS.get(note.kind, '通知')}：{note.title}"]
    if note.body:
        lines.append(f"案件：{note.body}")
    lines.append("请登录联查系统查看和办理。")
    return "\n".join(lines)


def _after_flush(session: Session, _context) -> None:
    ready = session.info.pop(PENDING_READY, None)
    if ready:
        _write_later(session, ready)
    pending = session.info.pop(PENDING_MAIL, None)
    app = _app()
    if not pending or app is None:
        return
    queue = app.extensions[QUEUE]()
    for row in pending:
        # a keyed run: inserted with a plain INSERT (no nested flush), enqueued once
        queue.enqueue("send_mail", key=f"mail:{row.id}", outbox_id=row.id)
