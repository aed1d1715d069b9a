"""一公开: the public result pages and exports (no login), 公示管理 and its API. The world's
`published_result` is a case led by department A, with one published follow-up outcome
(`build_publication`, listed in tests/access_world.py BUILDERS). Allowed corrections that find
nothing left to change answer 422."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.access_rules.core import PUBLIC, READERS, Rule

RESULT = {"result_id": "published_result"}
FOLLOW_UP = {"record_id": "published_follow_up"}
CORRECTORS = frozenset({"office", "officer"})  # with owner="dept": department A's officer


def _result_form(w: dict) -> dict:
    return {
        "enterprise_name": "矩阵公示餐馆",
        "uscc": w["published_uscc"],
        "completed_on": "2026-09-22",
        "item_0": "E",
        "reason": "矩阵更正",
    }


def _follow_up_form(w: dict) -> dict:
    return {
        "problem": "矩阵问题",
        "measures": "矩阵措施",
        "outcome": "penalized",
        "completed_on": "2026-10-09",
        "reason": "矩阵更正",
    }


def rules() -> dict[str, Rule]:
    return {
        "public_results.search": Rule(read=PUBLIC),
        "public_results.result": Rule(read=PUBLIC, args=RESULT),
        "public_results.export_csv": Rule(read=PUBLIC),
        "public_results.export_json": Rule(read=PUBLIC),
        "public_records.enterprise": Rule(read=PUBLIC, args={"uscc": "published_uscc"}),
        "public_records.follow_ups": Rule(read=PUBLIC),
        "publication.index": Rule(
            read=READERS | {"officer"}, note="an officer sees the cases their department led"
        ),
        "publication.correct_result": Rule(
            read=CORRECTORS, write=CORRECTORS, owner="dept", args=RESULT, data=_result_form
        ),
        "publication.correct_follow_up": Rule(
            read=CORRECTORS, write=CORRECTORS, owner="dept", args=FOLLOW_UP, data=_follow_up_form
        ),
        "publication_api.results": Rule(read=READERS | {"officer"}),
        "publication_api.result": Rule(read=READERS | {"officer"}, owner="dept", args=RESULT),
        "publication_api.correct_result": Rule(
            write=CORRECTORS,
            owner="dept",
            args=RESULT,
            data={"reason": "矩阵更正", "completed_on": "2026-09-23"},
        ),
        "publication_api.correct_follow_up": Rule(
            write=CORRECTORS, owner="dept", args=FOLLOW_UP, data={"reason": "矩阵更正", "outcome": "other"}
        ),
    }


def build_publication(w: dict) -> None:
    """A published result of a case led by department A, and its published follow-up outcome."""
    from adapters.db import db
    from adapters.models import PublishedFollowUp, PublishedResult

    uscc = w["enterprise_uscc"]
    result = PublishedResult(
        case_id="MX-PUB-1",
        uscc=uscc,
        enterprise_name="矩阵餐馆",
        organs=["市场监管局"],
        lead_department_id=w["dept_a"],
        completed_on=date(2026, 9, 22),
        result_text="未发现问题",
        items=[
            {
                "department": "市场监管局",
                "item_code": "MX-A-001",
                "item_name": "食品经营许可",
                "result_codes": ["1"],
                "result_names": ["未发现问题"],
            }
        ],
        published_at=datetime(2026, 9, 22, 2, tzinfo=UTC),
        correction_count=0,
    )
    db.session.add(result)
    db.session.flush()
    follow_up = PublishedFollowUp(
        follow_up_id="MX-PUB-1-1",
        case_id="MX-PUB-1",
        result_id=result.id,
        department_name="市场监管局",
        problem="矩阵问题线索",
        measures="责令改正",
        outcome="rectified",
        outcome_name="已责令改正并完成整改",
        completed_on=date(2026, 10, 9),
        correction_count=0,
    )
    db.session.add(follow_up)
    db.session.flush()
    w |= {"published_result": result.id, "published_follow_up": follow_up.id, "published_uscc": uscc}
