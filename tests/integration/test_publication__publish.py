"""一公开: an approved result of the real `inspection_case` BPMN becomes one public record; the
follow-up outcome is published linked to it; both services are idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import Incident, PublishedFollowUp, PublishedResult
from adapters.publication.publish import publish_follow_up, publish_result
from tests.integration import publication_support as s


@pytest.fixture
def world(app):
    return s.build_world()


def test_publish__approved_result_is_one_public_record(world):
    row = s.run_to_publication(world)
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 0
    (record,) = db.session.execute(select(PublishedResult)).scalars()
    assert (record.case_id, record.uscc, record.enterprise_name) == (
        "JT-2026-0042-0001",
        world["enterprise"].uscc,
        s.ENTERPRISE_NAME,
    )
    assert (record.task_number, record.task_name) == ("JT-2026-0042", "餐饮服务一业一查")
    assert (record.plan_number, record.plan_name) == ("2026-130100", "石家庄市2026年度部门联合抽查计划")
    assert record.inspection_type == "部门联合抽查"
    assert record.organs == ["市场监管局", "消防救援支队"]  # the lead department first
    assert record.lead_department_id == world["lead"].id and record.instance_id == row.id
    assert record.completed_on == date(2026, 9, 22)
    assert [
        (i["department"], i["item_name"], i["result_codes"], i["result_names"]) for i in record.items
    ] == [
        ("市场监管局", "食品经营许可", ["1"], ["未发现问题"]),
        ("消防救援支队", "消防安全", ["A", "2"], ["发现问题待后续处理", "违反工商行政管理相关规定"]),
    ]
    assert record.result_text == "未发现问题；发现问题待后续处理；违反工商行政管理相关规定"


def test_publish__a_second_call_changes_nothing(world):
    s.run_to_publication(world)
    record = db.session.execute(select(PublishedResult)).scalar_one()
    again = publish_result(case_id=record.case_id, checklists={"1": {"results": []}})
    assert again == {**again, "result_id": record.id, "again": True}
    assert db.session.scalar(select(func.count()).select_from(PublishedResult)) == 1


def test_publish__case_without_enterprise_or_results_is_refused(world):
    with pytest.raises(ValueError, match="检查对象"):
        publish_result(
            case_id="C-404", checklists={"1": {"results": [{"item_code": "x", "result_codes": ["1"]}]}}
        )
    with pytest.raises(ValueError, match="检查结果"):
        publish_result(
            case_id="C-405", checklists={}, enterprise={"name": "某公司", "uscc": world["enterprise"].uscc}
        )
    assert db.session.scalar(select(func.count()).select_from(PublishedResult)) == 0


def test_publish__case_data_is_used_when_there_is_no_joint_task(world):
    checklists = {
        str(world["fire"].id): {
            "department": str(world["fire"].id),
            "results": [
                {"item_code": "XF-01", "item_name": "消防安全", "result_codes": ["E"], "note": "内部说明"}
            ],
            "summary": "",
        }
    }
    receipt = publish_result(
        case_id="C-2026-0001",
        checklists=checklists,
        enterprise={"name": "某某餐馆", "uscc": "91310110666007217T"},
        lead_department=str(world["lead"].id),
        visit_date="2026-09-15",
    )
    record = db.session.get(PublishedResult, receipt["result_id"])
    assert (record.task_number, record.plan_name, record.inspected_on) == (None, None, date(2026, 9, 15))
    assert record.organs == ["消防救援支队"] and record.result_text == "发现问题已责令改正"
    assert "note" not in record.items[0]  # internal notes are not published


def test_publish_follow_up__linked_to_the_result_and_idempotent(world):
    s.run_to_publication(world)
    record = db.session.execute(select(PublishedResult)).scalar_one()
    params = {
        "case_id": record.case_id,
        "follow_up_id": f"{record.case_id}-1",
        "department": str(world["fire"].id),
        "problem": "消防安全",
        "measures": "责令限期整改，复查合格",
        "outcome": "rectified",
        "outcome_note": "",
        "completed_on": "2026-10-09",
    }
    first = publish_follow_up(**params)
    second = publish_follow_up(**{**params, "measures": "changed"})
    assert second["record_id"] == first["record_id"] and second["again"]
    (outcome,) = db.session.execute(select(PublishedFollowUp)).scalars()
    assert (outcome.result_id, outcome.department_name, outcome.outcome_name, outcome.measures) == (
        record.id,
        "消防救援支队",
        "已责令改正并完成整改",
        "责令限期整改，复查合格",
    )
    assert outcome.completed_on == date(2026, 10, 9)


def test_publish_follow_up__judicial_referral_names_the_organ(world):
    publish_follow_up(
        case_id="C-1",
        follow_up_id="C-1-1",
        department=str(world["lead"].id),
        mode="judicial",
        judicial_organ="石家庄市公安局",
        handling={"measures": "移送公安机关", "outcome": "judicial", "completed_on": "2026-10-09"},
    )
    outcome = db.session.execute(select(PublishedFollowUp)).scalar_one()
    assert (outcome.department_name, outcome.result_id, outcome.outcome_name) == (
        "石家庄市公安局",
        None,
        "已移送司法机关",
    )
