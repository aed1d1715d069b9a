"""The task form page /tasks/<id>: a checklist rendered on the server, submitted, refused (UI)."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from adapters.db import db
from adapters.models import AuditEventRow, HumanTask, ProcessInstance
from tests import factories as f
from tests.integration.cases_support import build_world, checklist_form, login, post, start_case, task_of
from web.cases import attachments

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def w(app):
    world = build_world()
    world["case"] = start_case(world)
    world["lead_task"] = task_of(world["case"].id, world["lead"])
    world["fire_task"] = task_of(world["case"].id, world["fire"])
    return world


def state_of(task_id: int) -> tuple[str, int]:
    db.session.expire_all()
    task = db.session.get(HumanTask, task_id)
    return task.state, db.session.get(ProcessInstance, task.instance_id).lock_version


def completions(instance_id: int) -> list[AuditEventRow]:
    """The checklist completions in the case's audit trail (the notice was completed before)."""
    rows = db.session.scalars(
        db.select(AuditEventRow).where(
            AuditEventRow.stream == f"case:{instance_id}", AuditEventRow.kind == "task_completed"
        )
    ).all()
    return [r for r in rows if r.data.get("task") == "department_check"]


def test_form__renders_the_checklist_with_its_items_and_choices(app, w):
    html = login(app, w["lead_inspector"]).get(f"/tasks/{w['lead_task'].id}").get_data(as_text=True)
    assert "逐项填写抽查结果" in html  # the instructions
    assert "食品经营许可" in html and "进货查验记录" in html and "SC-02" in html
    assert 'name="results.0.result_codes" value="1"' in html and "未发现问题" in html
    assert 'name="results.1.result_codes" value="A"' in html and "发现问题待后续处理" in html
    assert 'name="results.1.note"' in html and 'name="summary"' in html
    assert 'type="file"' in html and 'name="results.1.attachments"' in html and "multiple" in html
    assert 'name="department"' not in html and "results.0.item_code" not in html  # hidden / read-only
    assert "石家庄某某餐饮有限公司" in html and "2026-10-19" in html


def test_form__valid_checklist_completes_the_task(app, w):
    client = login(app, w["lead_inspector"])
    data = checklist_form(w["lead_task"], {0: ["1"], 1: ["A", "2"]}, {1: "进货台账缺失"})
    resp = post(client, f"/tasks/{w['lead_task'].id}", data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/tasks")
    assert state_of(w["lead_task"].id)[0] == "completed"
    (event,) = completions(w["case"].id)
    assert event.actor_name == "lead_inspector" and event.actor_id == w["lead_inspector"].id
    submitted = event.data["data"]
    assert [r["result_codes"] for r in submitted["results"]] == [["1"], ["A", "2"]]
    assert submitted["results"][1]["note"] == "进货台账缺失"
    assert submitted["results"][0]["item_code"] == "SC-01" and submitted["department"] == str(w["lead"].id)
    done = client.get(f"/tasks/{w['lead_task'].id}").get_data(as_text=True)
    assert (
        "进货台账缺失" in done
        and "违反工商行政管理相关规定" in done
        and '<form method="post" enctype' not in done
    )


def test_form__invalid_checklist_is_refused_with_messages_and_kept_input(app, w):
    client = login(app, w["lead_inspector"])
    before = state_of(w["lead_task"].id)
    data = checklist_form(w["lead_task"], {0: [], 1: ["1", "A"]}, {0: "尚未检查", 1: "自相矛盾"})
    resp = post(client, f"/tasks/{w['lead_task'].id}", data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "至少选择或填写 1 项" in html and "“未发现问题”不能与其他检查结果同时选择" in html
    assert "尚未检查" in html and "自相矛盾" in html  # what was typed stays
    assert re.search(r'name="results.1.result_codes" value="A" checked', html)
    assert state_of(w["lead_task"].id) == before
    assert completions(w["case"].id) == []


def test_form__another_departments_task_cannot_be_opened_or_completed(app, w):
    client = login(app, w["health_inspector"])
    before = state_of(w["fire_task"].id)
    assert client.get(f"/tasks/{w['fire_task'].id}").status_code == 403
    data = checklist_form(w["fire_task"], {0: ["1"]})
    assert post(client, f"/tasks/{w['fire_task'].id}", data).status_code == 403
    assert state_of(w["fire_task"].id) == before


def test_form__submitting_a_done_task_again_is_a_conflict(app, w):
    client = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["1"]})
    assert post(client, f"/tasks/{w['fire_task'].id}", data).status_code == 302
    again = post(client, f"/tasks/{w['fire_task'].id}", data)
    assert again.status_code == 409 and "已办结" in again.get_data(as_text=True)
    assert len(completions(w["case"].id)) == 1


def test_form__suspended_case_answers_409(app, w):
    from tests.integration.cases_support import who
    from web.runtime import workflow

    workflow().suspend(w["case"].id, who(w["office"]), "核实中")
    db.session.commit()
    resp = post(
        login(app, w["fire_inspector"]),
        f"/tasks/{w['fire_task'].id}",
        checklist_form(w["fire_task"], {0: ["1"]}),
    )
    assert resp.status_code == 409
    assert state_of(w["fire_task"].id)[0] == "ready"


def test_form__attachment_is_stored_with_its_checksum(app, w):
    client = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["1"]})
    data["results.0.attachments"] = (io.BytesIO(PNG), "现场照片.png")
    resp = post(client, f"/tasks/{w['fire_task'].id}", data, content_type="multipart/form-data")
    assert resp.status_code == 302
    (event,) = completions(w["case"].id)
    (file_id,) = event.data["data"]["results"][0]["attachments"]
    rec = attachments.record(file_id)
    assert rec["name"] == "现场照片.png" and rec["size"] == len(PNG)
    assert rec["sha256"] == hashlib.sha256(PNG).hexdigest() and rec["instance_id"] == w["case"].id
    assert rec["department_id"] == w["fire"].id
    url = f"/cases/{w['case'].id}/files/{file_id}"
    download = client.get(url)
    assert download.status_code == 200 and download.data == PNG
    outsider_dept = f.department("应急管理局")
    outsider = f.account("outsider", ["inspector"], outsider_dept.id)
    db.session.commit()
    assert login(app, outsider).get(url).status_code == 403
    assert client.get(f"/cases/{w['case'].id}/files/{'0' * 32}").status_code == 404


def test_form__attachment_of_a_wrong_type_is_refused(app, w):
    client = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["1"]})
    data["results.0.attachments"] = (io.BytesIO(b"MZ\x90\x00 not a picture"), "照片.png")
    resp = post(client, f"/tasks/{w['fire_task'].id}", data, content_type="multipart/form-data")
    assert resp.status_code == 422 and "内容与扩展名不符" in resp.get_data(as_text=True)
    data["results.0.attachments"] = (io.BytesIO(b"echo hi"), "run.sh")
    resp = post(client, f"/tasks/{w['fire_task'].id}", data, content_type="multipart/form-data")
    assert resp.status_code == 422 and "不支持的文件类型" in resp.get_data(as_text=True)
    assert state_of(w["fire_task"].id)[0] == "ready"


def test_form__forged_attachment_id_is_refused(app, w):
    client = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["1"]})
    data["results.0.attachments.__keep"] = "f" * 32
    resp = post(client, f"/tasks/{w['fire_task'].id}", data)
    assert resp.status_code == 422 and "附件不存在" in resp.get_data(as_text=True)
    assert state_of(w["fire_task"].id)[0] == "ready"


def test_form__read_only_fields_ignore_what_is_posted(app, w):
    client = login(app, w["fire_inspector"])
    data = checklist_form(w["fire_task"], {0: ["1"]})
    data |= {"department": "999", "results.0.item_code": "FORGED"}
    assert post(client, f"/tasks/{w['fire_task'].id}", data).status_code == 302
    (event,) = completions(w["case"].id)
    assert event.data["data"]["department"] == str(w["fire"].id)
    assert event.data["data"]["results"][0]["item_code"] == "XF-01"
