"""Small pure helpers of the case runtime's rows: correlation keys, due times, case summaries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

ACTIVE = ("running", "waiting", "error")
SUMMARY_KEYS = ("title", "enterprise_name", "uscc", "task_number", "lead_department", "overdue", "result_due")


def correlation_key(correlation: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(correlation or {}), sort_keys=True, ensure_ascii=False, default=str)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def due_variables(files: Mapping[str, str]) -> dict[str, str]:
    """model.json may map element ids (or "*") to the data variable holding a task's due time."""
    try:
        return dict(json.loads(files.get("model.json", "{}")).get("task_due") or {})
    except (ValueError, AttributeError):
        return {}


def due_at(data: Mapping[str, Any], variable: str | None) -> datetime | None:
    value = data.get(variable) if variable else None
    if not isinstance(value, str):
        return None
    try:
        return aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def summary(values: Mapping[str, Any]) -> dict:
    """The scalar values of the summary keys (for lists and inboxes without loading the state)."""
    return {
        k: values[k] for k in SUMMARY_KEYS if k in values and isinstance(values[k], str | int | float | bool)
    }
