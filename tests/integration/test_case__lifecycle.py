"""One joint inspection case over HTTP, from the draw's spawn to the approved result: notice →
every department's checklist → consolidation by the lead → review returns one department →
correction → approval → publication → follow-up (transfer, accept, measures, public outcome) →
case closed; with time travel across the 2026 National Day holiday, the result-entry overdue mark
appears on the day after the 20th working day after the visit (2026-10-20 00:00 Beijing time, the
visit being on 2026-09-15) and not a day earlier."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from adapters.db import db
from adapters.models import HumanTask, ProcessInstance, TaskTarget
from adapters.workflow import versions
from adapters.workflow.jobs import wake_due
from tests import factories as f
from tests.integration import draws_support as s
from tests.integration.cases_support import api, login, post
from web.runtime import engine, workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _ready(instance_id: int, element: str, department_id: int | None = None) -> HumanTask:
    db.session.expire_all()
    rows = db.session.query(HumanTask).filter_by(instance_id=instance_id, element_id=element, state="ready")
    found = [t for t in rows if department_id is None or t.department_id == department_id]
    assert len(found) == 1, (element, found)
    return found[0]


def _spawned_case(w: s.World) -> ProcessInstance:
    draw = s.drawn(w)
    s.service().confirm(draw.id, w.users["lead"].id)
    db.session.commit()  # the in-process queue starts the cases now
    target = db.session.query(TaskTarget).filter_by(draw_id=draw.id).order_by(TaskTarget.rank).first()
    return db.session.get(ProcessInstance, target.instance_id)


def _checklist(client, task: HumanTask, codes: list[list[str]], notes: list[str]):
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    rows = len(set(re.findall(r'name="results\.(\d+)\.note"', page)))
    assert rows == len(codes)
    data = {"summary": "现场检查完成"}
    for i, (c, n) in enumerate(zip(codes, notes, strict=True)):
        data[f"results.{i}.result_codes"], data[f"results.{i}.note"] = c, n
    return post(client, f"/tasks/{task.id}", data)


def _only_child(instance_id: int) -> ProcessInstance:
    db.session.expire_all()
    (child,) = db.session.query(ProcessInstance).filter_by(parent_id=instance_id, model_id="follow_up")
    return child


def _ready_elements(instance_id: int, element: str) -> list[HumanTask]:
    db.session.expire_all()
    return list(
        db.session.query(HumanTask).filter_by(instance_id=instance_id, element_id=element, state="ready")
    )


def _overdue(client, instance_id: int) -> bool:
    body = api(client, "GET", f"/api/v1/cases/{instance_id}").get_json()
    assert "summary" in body, body
    return bool(body["summary"].get("overdue"))


def test_case_lifecycle__notice_checklists_return_correct_approve_with_overdue(app):
    with time_machine.travel(at(2026, 9, 10, 9, 0), tick=False) as clock:
        w = s.build(restaurants=8)
        versions.deploy_directory(db.session, engine())
        depts = w.departments
        people = {k: f.account(f"{k}_inspector", ["inspector"], depts[k]) for k in depts}
        db.session.commit()
        case = _spawned_case(w)
        lead = login(app, w.users["lead"])

        # 1. the notice: inspectors with their certificates, the team leader; then it is sent
        notice_task = _ready(case.id, "notice")
        html = lead.get(f"/cases/{case.id}/notice").get_data(as_text=True)
        data = workflow().load(case).data()
        leader = next(i for i in data["inspectors"] if i["leader"])
        assert (
            all(i["cert_no"] in html for i in data["inspectors"]) and f"检查组组长：{leader['name']}" in html
        )
        sent = post(
            lead,
            f"/tasks/{notice_task.id}",
            {"notice_no": "冀市监联查〔2026〕9号", "visit_date": "2026-09-15"},
        )
        assert sent.status_code == 302

        # 2. every department's inspectors fill their own checklist (the fire brigade finds a problem)
        clock.move_to(at(2026, 9, 16, 10, 0))
        clients = {k: login(app, people[k]) for k in depts}
        codes = {"market": ["1"], "fire": ["A", "4"], "health": ["1"]}
        for k in depts:
            task = _ready(case.id, "department_check", depts[k])
            assert _checklist(clients[k], task, [codes[k]], ["—"]).status_code == 302

        # 3. the lead consolidates (the fire brigade's problem is proposed for follow-up)
        consolidate = _ready(case.id, "consolidate")
        page = lead.get(f"/tasks/{consolidate.id}").get_data(as_text=True)
        assert "消防安全检查" in page and "违反质量技术监督相关规定" in page  # every checklist, for the lead
        form = {
            "summary": "消防设施存在问题，其余未发现问题",
            "follow_ups.__row": "0",
            "follow_ups.0.department": str(depts["fire"]),
            "follow_ups.0.problem": "消防安全检查",
        }
        assert post(lead, f"/tasks/{consolidate.id}", form).status_code == 302

        # 4. review returns the health department's checklist with a reason it is shown
        review = _ready(case.id, "review")
        reason = "生活饮用水检测报告未附"
        back = {"decision": "return", "return_department": str(depts["health"]), "reason": reason}
        assert post(lead, f"/tasks/{review.id}", back).status_code == 302
        correct = _ready(case.id, "correct", depts["health"])
        assert reason in clients["health"].get(f"/tasks/{correct.id}").get_data(as_text=True)
        assert clients["fire"].get(f"/tasks/{correct.id}").status_code == 403

        # 5. the deadline: 20 working days after 2026-09-15 across 中秋 and 国庆 is 2026-10-19
        clock.move_to(at(2026, 10, 19, 23, 0))
        wake_due()
        office = login(app, w.users["office"])  # a month later: a new session
        assert not _overdue(office, case.id)
        assert "已逾期" not in office.get(f"/cases/{case.id}").get_data(as_text=True)
        clock.move_to(at(2026, 10, 20, 0, 0, 30))
        wake_due()
        assert _overdue(office, case.id)
        page = office.get(f"/cases/{case.id}").get_data(as_text=True)
        assert "已逾期" in page and "督办逾期案件" in page

        # 6. the health department corrects and resubmits; the lead approves
        clock.move_to(at(2026, 10, 20, 9, 0))
        lead, clients["health"] = login(app, w.users["lead"]), login(app, people["health"])
        assert _checklist(clients["health"], correct, [["E"]], ["已补检测报告，责令改正"]).status_code == 302
        assert _overdue(office, case.id)  # work after the mark does not clear it
        review = _ready(case.id, "review")
        assert post(lead, f"/tasks/{review.id}", {"decision": "approve"}).status_code == 302

        # 7. publication: the approved result is on the public pages, without the risk class
        enterprise = workflow().load(db.session.get(ProcessInstance, case.id)).data()["enterprise"]
        public = app.test_client()
        found = public.get("/public/results", query_string={"q": enterprise["uscc"]}).get_data(as_text=True)
        (link,) = re.findall(r'href="(/public/results/\d+)"', found)
        assert enterprise["name"] in found and "部门联合抽查" in public.get(link).get_data(as_text=True)
        history = public.get(f"/public/enterprises/{enterprise['uscc']}").get_data(as_text=True)
        assert (
            "违反质量技术监督相关规定" in history
            and "信用风险" not in history
            and leader["name"] not in history
        )

        # 8. the fire brigade's problem goes to follow-up: the lead transfers it, fire accepts
        follow_up = _only_child(case.id)
        transfer = _ready(follow_up.id, "transfer")
        sent = post(
            lead,
            f"/tasks/{transfer.id}",
            {"mode": "department", "department": str(depts["fire"]), "problem": "消防设施存在问题"},
        )
        assert sent.status_code == 302
        fire_officer = login(app, people["fire"])
        accept = _ready(follow_up.id, "accept", depts["fire"])
        assert post(fire_officer, f"/tasks/{accept.id}", {"decision": "accept"}).status_code == 302
        assert not _ready_elements(case.id, "close")  # the case waits for its follow-up

        # 9. measures and outcome within 20 working days; the outcome is public, the case closes
        measures = _ready(follow_up.id, "record_measures", depts["fire"])
        handling = {"measures": "责令限期整改消防设施", "outcome": "rectified", "completed_on": "2026-10-28"}
        clock.move_to(at(2026, 10, 28, 10, 0))
        assert post(fire_officer, f"/tasks/{measures.id}", handling).status_code == 302
        outcomes = public.get("/public/follow-ups").get_data(as_text=True)
        assert enterprise["name"] in outcomes and "责令限期整改消防设施" in outcomes
        close = _ready(case.id, "close")
        assert post(lead, f"/tasks/{close.id}", {"conclusion": "问题已整改，结案"}).status_code == 302
        db.session.expire_all()
        assert db.session.get(ProcessInstance, case.id).status == "complete"
        assert db.session.get(ProcessInstance, follow_up.id).status == "complete"
        # closing ends the office's open 督办 task too: nothing of the case is left in any inbox
        assert not db.session.query(HumanTask).filter_by(instance_id=case.id, state="ready").all()

    db.session.expire_all()
    result_tasks = db.session.query(HumanTask).filter(
        HumanTask.instance_id == case.id,
        HumanTask.element_id.in_(("department_check", "consolidate", "review", "correct")),
    )
    assert {t.state for t in result_tasks} == {"completed"}
    data = workflow().load(db.session.get(ProcessInstance, case.id)).data()
    checklists = data["checklists"]
    assert set(checklists) == {str(d) for d in depts.values()}
    health = checklists[str(depts["health"])]
    assert set(health) == {"department", "results", "summary"}
    assert health["results"][0]["result_codes"] == ["E"] and health["results"][0]["item_code"] == "WS-001"
    assert set(health["results"][0]) >= {"item_code", "item_name", "result_codes", "note"}
    assert data["review_history"][0]["reason"] == reason
