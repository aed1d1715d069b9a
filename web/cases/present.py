"""How cases and tasks read on the page: Chinese labels of statuses and audit kinds, deadlines in
working days ("剩余 N 个工作日" / "已逾期 N 个工作日"), timeline lines with short data excerpts."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.calendar import CalendarUnavailable

STATUS_LABELS = {
    "running": _l("In progress"),
    "waiting": _l("Waiting"),
    "complete": _l("Completed"),
    "error": _l("Incident"),
    "cancelled": _l("Called off"),
    "suspended": _l("Suspended"),
}
TASK_STATE_LABELS = {"ready": _l("To do"), "completed": _l("Handled"), "cancelled": _l("Withdrawn")}
VERSION_STATUS_LABELS = {"draft": _l("Draft"), "deployed": _l("Deployed"), "retired": _l("Retired")}
KIND_LABELS = {
    "instance_started": _l("Case started"),
    "task_ready": _l("Task assigned"),
    "task_completed": _l("Task completed"),
    "task_cancelled": _l("Task withdrawn"),
    "task_claimed": _l("Task claimed"),
    "task_unclaimed": _l("Claim returned"),
    "task_reassigned": _l("Task reassigned"),
    "timer_fired": _l("Deadline reached"),
    "message_sent": _l("Message sent"),
    "message_received": _l("Message received"),
    "incident": _l("Incident"),
    "incident_retried": _l("Incident retried"),
    "completed": _l("Case closed"),
    "cancelled": _l("Case revoked"),
    "admin_action": _l("Administrative action"),
}
ACTION_LABELS = {
    "cancel": _l("Call off"),
    "suspend": _l("Suspend"),
    "resume": _l("Resume"),
    "retry": _l("Retry"),
}
EXCERPT = 160


def label(table: dict, key: str | None) -> str:
    return str(table.get(key or "", key or ""))


def local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["LIANCHA_SETTINGS"].timezone)


def local(moment: datetime | None) -> datetime | None:
    """A stored time in local time (SQLite gives them back naive: they are UTC)."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(local_tz())


def fmt_time(moment: datetime | None) -> str:
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


@dataclass(frozen=True)
class Due:
    """A deadline as shown: its local date, a working-day text, and whether it has passed."""

    date: str
    text: str
    overdue: bool
    days: int | None


def due(due_at: datetime | None, now: datetime | None = None) -> Due | None:
    """The deadline of a task in working days; the date alone for a year without calendar data."""
    if due_at is None:
        return None
    now = now or datetime.now(UTC)
    due_local = local(due_at)
    today = local(now).date()
    passed = (due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)) < now
    try:
        days = current_app.extensions["liancha.calendar"].remaining_working_days(today, due_local.date())
    except CalendarUnavailable:
        return Due(due_local.strftime("%Y-%m-%d"), "", passed, None)
    return Due(due_local.strftime("%Y-%m-%d"), _due_text(days, passed), passed or days < 0, days)


def _due_text(days: int, passed: bool) -> str:
    if days > 0:
        return _("%(n)s working days left", n=days)
    if days == 0:
        return _("Overdue") if passed else _("Due today")
    return _("%(n)s working days overdue", n=-days)


def today_local() -> date:
    return datetime.now(local_tz()).date()


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A short readable excerpt of event data (JSON, Chinese kept)."""
    if value in (None, "", {}, []):
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_payload(kind: str, data: dict) -> str:
    """The whole submitted form or message of an event, pretty-printed (empty for other kinds)."""
    value = data.get("data") if kind == "task_completed" else data.get("payload")
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def event_detail(kind: str, data: dict, names: dict[int, str]) -> str:
    """The data part of a timeline line."""
    if kind == "admin_action":
        action = label(ACTION_LABELS, data.get("action"))
        reason = data.get("reason") or data.get("element") or ""
        return f"{action}{'：' + excerpt(reason) if reason else ''}"
    if kind == "task_reassigned":
        return _("to %(name)s", name=names.get(data.get("to"), data.get("to")))
    if kind in ("incident",):
        return excerpt(data.get("message"))
    if kind in ("message_sent", "message_received"):
        return excerpt(data.get("message") or data.get("payload"))
    if kind == "instance_started":
        return _("version %(v)s", v=data.get("version"))
    if kind == "task_completed":
        return excerpt(data.get("data"))
    return ""


SUMMARY_LABELS = {
    "title": _l("Title"),
    "enterprise_name": _l("Enterprise"),
    "uscc": _l("Unified social credit code"),
    "task_number": _l("Task number"),
    "lead_department": _l("Lead department"),
    "result_due": _l("Result entry deadline"),
    "overdue": _l("Overdue"),
}


def summary_items(summary: dict, department_names: dict[int, str]) -> list[tuple[str, str]]:
    """The case summary as (label, text) lines: department ids by name, deadlines as dates."""
    out = []
    for key, value in (summary or {}).items():
        if key == "lead_department" and str(value).isdigit():
            value = department_names.get(int(value), value)
        elif key.endswith("_due") and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = local(datetime.fromisoformat(value.replace("Z", "+00:00"))).strftime("%Y-%m-%d")
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        out.append((str(SUMMARY_LABELS.get(key, key)), str(value)))
    return out
