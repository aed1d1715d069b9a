"""API of the inbox and notifications: /api/v1/inbox (a tab with the filters of the page, plus the
overdue cases on the overdue tab) and /api/v1/notifications (list, mark read, mark all read).
Claiming goes through /api/v1/tasks/<id>/claim."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import current_user

from adapters.db import db
from adapters.notifications import queries as notes
from adapters.queries import cases as case_queries
from adapters.queries import inbox as queries
from adapters.queries.inbox import InboxFilters
from engine.errors import NotFound, ValidationFailed
from web.api import api_blueprint
from web.auth import allowed, current_actor, ensure
from web.cases import inbox as inbox_view
from web.cases import rules, serialize
from web.notifications import KIND_LABELS, link
from web.schemas import inbox as s

inbox_bp = api_blueprint("inbox", __name__, "/inbox", description="待办 Inbox with filters")
notes_bp = api_blueprint("notifications_api", __name__, "/notifications", description="通知 Notifications")


@inbox_bp.route("", methods=["GET"])
@inbox_bp.arguments(s.InboxArgs, location="query")
@inbox_bp.response(200, s.InboxPage)
def inbox(args):
    """An inbox tab with filters; on the overdue tab also the overdue cases (逾期督办)."""
    ensure("tasks.read")
    actor = current_actor()
    if args["tab"] not in inbox_view.tabs_for(actor):
        raise ValidationFailed("只有部门管理人员可以查看本部门待办", {"tab": "取值无效"})
    filters = InboxFilters(
        tab=args["tab"],
        model_id=args.get("model") or None,
        task_name=args.get("task") or None,
        enterprise=args.get("enterprise") or None,
        due_before=inbox_view.day_end(args["due_before"]) if args.get("due_before") else None,
        overdue_only=args["overdue"],
        q=args.get("q") or None,
    )
    now = datetime.now(UTC)
    read_all = allowed(rules.READ_ALL)
    page = queries.list_tasks(actor, filters, now, read_all=read_all, page=args["page"], limit=args["limit"])
    counts = case_queries.tab_counts(actor, now, read_all=read_all)
    counts["overdue_cases"] = queries.overdue_case_count(actor, read_all=read_all)
    cases = []
    if args["tab"] == "overdue" and args["page"] == 1:
        found = queries.overdue_cases(actor, filters, read_all=read_all, limit=100)
        for line in inbox_view.case_lines(found, now):
            due = line["due"]
            cases.append(
                {
                    **serialize.case_brief(line["case"]),
                    "department": line["department"],
                    "due_date": due.date if due else None,
                    "due_text": due.text if due else None,
                }
            )
    return {
        "items": [serialize.task(r, now) for r in page.items],
        "page": page.page,
        "has_next": page.has_next,
        "counts": counts,
        "overdue_cases": cases,
    }


def _note(n) -> dict:
    return {
        "id": n.id,
        "kind": n.kind,
        "kind_label": str(KIND_LABELS.get(n.kind, n.kind)),
        "title": n.title,
        "body": n.body,
        "url": link(n),
        "task_id": n.task_id,
        "instance_id": n.instance_id,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@notes_bp.route("", methods=["GET"])
@notes_bp.arguments(s.NotificationArgs, location="query")
@notes_bp.response(200, s.NotificationPage)
def list_notifications(args):
    """The caller's notifications, newest first, with the unread count (the bell)."""
    page = notes.page(current_user.id, unread_only=args["unread"], page=args["page"], limit=args["limit"])
    return {
        "items": [_note(n) for n in page.items],
        "page": page.page,
        "has_next": page.has_next,
        "unread": notes.unread_count(current_user.id),
    }


@notes_bp.route("/<int:notification_id>/read", methods=["POST"])
@notes_bp.response(200, s.NotificationOut)
def read(notification_id: int):
    """Mark one of the caller's notifications read (404 for another's)."""
    note = notes.mark_read(current_user.id, notification_id)
    if note is None:
        raise NotFound("通知不存在")
    db.session.commit()
    return _note(note)


@notes_bp.route("/read-all", methods=["POST"])
@notes_bp.response(200, s.ReadAllOut)
def read_all():
    marked = notes.mark_all_read(current_user.id)
    db.session.commit()
    return {"marked": marked, "unread": notes.unread_count(current_user.id)}
