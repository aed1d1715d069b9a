"""The home page (工作台): for the office, sysadmins and auditors the overdue counts, open cases by
stage and the year's plan progress; for everyone their own inbox counts."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.queries import cases as case_queries
from adapters.queries import inbox as inbox_queries
from adapters.queries import workbench as queries
from web.auth import allowed, current_actor
from web.cases import present, rules


def context() -> dict:
    actor = current_actor()
    if actor is None:
        return {}
    now = datetime.now(UTC)
    read_all = allowed(rules.READ_ALL)
    counts = case_queries.tab_counts(actor, now, read_all=read_all)
    counts["overdue_cases"] = inbox_queries.overdue_case_count(actor, read_all=read_all)
    out = {"counts": counts, "office_view": False}
    if read_all:
        year = present.today_local().year
        stages = queries.cases_by_stage()
        out.update(
            office_view=True,
            overdue=queries.overdue_counts(now),
            open_cases=queries.open_cases(queries.CASE_MODEL),
            open_follow_ups=queries.open_cases(queries.FOLLOW_UP_MODEL),
            stages=stages,
            stage_max=max((n for _, n in stages), default=0),
            year=year,
            plans=queries.plan_progress(year),
        )
    return out
