"""The inbox /tasks: 我的待办, 本部门待办, 逾期, 已办任务, with filters and paging; claim, unclaim and
reassign (POST + CSRF) come back here."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from adapters.db import db
from adapters.queries import cases as queries
from adapters.queries.cases import TaskFilters
from web.auth import allowed, current_actor, require
from web.cases import actions, bp, present, rules
from web.runtime import who, workflow

PAGE_SIZE = 30
TAB_LABELS = {
    "mine": _l("My tasks"),
    "department": _l("Department tasks"),
    "overdue": _l("Overdue"),
    "done": _l("Completed tasks"),
}


def tabs_for(actor) -> list[str]:
    tabs = ["mine"]
    if "officer" in actor.roles and actor.department_id is not None:
        tabs.append("department")
    return [*tabs, "overdue", "done"]


def read_filters(tabs: list[str]) -> tuple[TaskFilters, int]:
    args = request.args
    tab = args.get("tab", "mine")
    page = args.get("page", "1")
    filters = TaskFilters(
        tab=tab if tab in tabs else "mine",
        model_id=(args.get("model") or "").strip() or None,
        overdue_only=args.get("overdue") == "1",
        q=(args.get("q") or "").strip()[:64] or None,
    )
    return filters, int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1


@bp.get("/tasks")
@require("tasks.read")
def inbox():
    actor = current_actor()
    tabs = tabs_for(actor)
    filters, page = read_filters(tabs)
    now = datetime.now(UTC)
    read_all = allowed(rules.READ_ALL)
    result = queries.list_tasks(actor, filters, now, read_all=read_all, page=page, limit=PAGE_SIZE)
    service, me = workflow(), who()
    lines = [
        {
            "row": row,
            "due": present.due(row.task.due_at, now),
            "may_work": service.may_work(row.task, me),
            "can_claim": row.task.state == "ready"
            and row.task.assignee_id is None
            and service.may_work(row.task, me),
            "can_unclaim": row.task.state == "ready"
            and row.task.assignee_id is not None
            and (row.task.assignee_id == actor.id or rules.is_officer_of(row.task, actor)),
            "can_reassign": row.task.state == "ready"
            and row.task.department_id is not None
            and rules.is_officer_of(row.task, actor),
        }
        for row in result.items
    ]
    return render_template(
        "cases/inbox.html",
        tabs=[(t, TAB_LABELS[t]) for t in tabs],
        filters=filters,
        lines=lines,
        result=result,
        counts=queries.tab_counts(actor, now, read_all=read_all),
        models=queries.model_ids(),
        colleagues=_reassign_choices(actor, lines),
        prev_url=_page_url(page - 1) if page > 1 else None,
        next_url=_page_url(page + 1) if result.has_next else None,
        status_label=lambda s: present.label(present.STATUS_LABELS, s),
        fmt_time=present.fmt_time,
    )


def _reassign_choices(actor, lines: list[dict]) -> list:
    if not any(line["can_reassign"] for line in lines):
        return []
    return queries.department_users(actor.department_id)


def _page_url(page: int) -> str:
    args = {k: v for k, v in request.args.items() if k != "page"}
    return url_for("cases.inbox", **args, page=page)


def _back() -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else url_for("cases.inbox")


@bp.post("/tasks/<int:task_id>/claim")
@require("tasks.read")
def claim(task_id: int):
    actions.claim(task_id)
    db.session.commit()
    flash(_("Task claimed."), "success")
    return redirect(_back())


@bp.post("/tasks/<int:task_id>/unclaim")
@require("tasks.read")
def unclaim(task_id: int):
    actions.unclaim(task_id)
    db.session.commit()
    flash(_("The claim was returned; the task is open to the department again."), "success")
    return redirect(_back())


@bp.post("/tasks/<int:task_id>/reassign")
@require("tasks.read")
def reassign(task_id: int):
    raw = request.form.get("user_id", "")
    actions.reassign(task_id, int(raw) if raw.isdigit() else None)
    db.session.commit()
    flash(_("Task reassigned."), "success")
    return redirect(_back())
