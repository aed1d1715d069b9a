"""The inbox /tasks: 我的待办, 本部门待办, 逾期 (for the office every department's overdue tasks
and cases: 逾期督办), 已办任务 — with filters (process, task name, enterprise name or USCC, due
before a day, overdue only) and paging; claim, unclaim and reassign (POST + CSRF) come back here.
Deadlines read "剩余 N 个工作日" / "已逾期 N 个工作日" (working days from the calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from adapters.db import db
from adapters.queries import cases as queries
from adapters.queries import inbox as inbox_queries
from adapters.queries.inbox import InboxFilters
from engine.access import Actor
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
FILTER_KEYS = ("model", "task", "enterprise", "due_before", "overdue", "q")


def tabs_for(actor: Actor) -> list[str]:
    tabs = ["mine"]
    if "officer" in actor.roles and actor.department_id is not None:
        tabs.append("department")
    return [*tabs, "overdue", "done"]


def _text(args, key: str, limit: int = 64) -> str | None:
    return (args.get(key) or "").strip()[:limit] or None


def parse_day(raw: str | None) -> date | None:
    """A YYYY-MM-DD day; ValueError for anything else."""
    return date.fromisoformat(raw.strip()) if raw and raw.strip() else None


def day_end(day: date) -> datetime:
    """The first moment after `day` in local time (so "due before" includes that day)."""
    return datetime.combine(day + timedelta(days=1), time(0), present.local_tz()).astimezone(UTC)


def read_filters(args, tabs: list[str]) -> tuple[InboxFilters, str | None]:
    """The filters of the query string, and the message for a due date that is no date."""
    tab = args.get("tab", "mine")
    problem, due_before = None, None
    try:
        day = parse_day(args.get("due_before"))
        due_before = day_end(day) if day else None
    except ValueError:
        problem = _("The due date must be a date like 2026-10-19.")
    filters = InboxFilters(
        tab=tab if tab in tabs else "mine",
        model_id=_text(args, "model"),
        task_name=_text(args, "task"),
        enterprise=_text(args, "enterprise"),
        due_before=due_before,
        overdue_only=args.get("overdue") == "1",
        q=_text(args, "q"),
    )
    return filters, problem


def page_number(args) -> int:
    raw = args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def task_lines(result, actor: Actor, now: datetime) -> list[dict]:
    """Each task with its deadline and what the user may do with it from the list."""
    service, me = workflow(), who()
    lines = []
    for row in result.items:
        task = row.task
        open_ = task.state == "ready"
        may_work = service.may_work(task, me)
        lines.append(
            {
                "row": row,
                "due": present.due(task.due_at, now),
                "may_work": may_work,
                "can_claim": open_ and task.assignee_id is None and may_work,
                "can_unclaim": open_
                and task.assignee_id is not None
                and (task.assignee_id == actor.id or rules.is_officer_of(task, actor)),
                "can_reassign": open_ and task.department_id is not None and rules.is_officer_of(task, actor),
            }
        )
    return lines


def case_lines(result, now: datetime) -> list[dict]:
    """Overdue cases with their deadline (the summary's `result_due`) in working days."""
    out = []
    for instance, department in result.items:
        due_at = _moment((instance.summary or {}).get("result_due"))
        out.append({"case": instance, "department": department, "due": present.due(due_at, now)})
    return out


def _moment(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("/tasks")
@require("tasks.read")
def inbox():
    actor = current_actor()
    tabs = tabs_for(actor)
    filters, problem = read_filters(request.args, tabs)
    page = page_number(request.args)
    now = datetime.now(UTC)
    read_all = allowed(rules.READ_ALL)
    result = inbox_queries.list_tasks(actor, filters, now, read_all=read_all, page=page, limit=PAGE_SIZE)
    lines = task_lines(result, actor, now)
    cases = None
    if filters.tab == "overdue" and page == 1:
        cases = inbox_queries.overdue_cases(actor, filters, read_all=read_all, limit=100)
    counts = queries.tab_counts(actor, now, read_all=read_all)
    counts["overdue"] += inbox_queries.overdue_case_count(actor, read_all=read_all)
    return render_template(
        "cases/inbox.html",
        tabs=[(t, TAB_LABELS[t]) for t in tabs],
        filters=filters,
        args=request.args,
        problem=problem,
        lines=lines,
        cases=case_lines(cases, now) if cases else [],
        result=result,
        counts=counts,
        models=queries.model_ids(),
        colleagues=_reassign_choices(actor, lines),
        prev_url=_page_url(page - 1) if page > 1 else None,
        next_url=_page_url(page + 1) if result.has_next else None,
        status_label=lambda s: present.label(present.STATUS_LABELS, s),
        fmt_time=present.fmt_time,
    )


def _reassign_choices(actor: Actor, lines: list[dict]) -> list:
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
