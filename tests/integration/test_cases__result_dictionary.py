"""The result dictionary (结果字典): the office edits it; checklists offer its active codes when
shown and accept only them when submitted; a code a submitted checklist used cannot be deleted."""

from __future__ import annotations

import pytest

from adapters import result_dictionary
from adapters.db import db
from adapters.models import ResultCode
from tests.integration.cases_support import api, build_world, checklist_form, login, post, start_case, task_of


@pytest.fixture
def w(app):
    world = build_world()
    result_dictionary.seed_defaults()
    db.session.commit()
    world["case"] = start_case(world)
    world["fire_task"] = task_of(world["case"].id, world["fire"])
    return world


def _code(code: str) -> ResultCode | None:
    db.session.expire_all()
    return db.session.get(ResultCode, code)


def test_dictionary__migration_seed_is_the_built_in_list():
    import importlib.util
    from pathlib import Path

    path = Path(result_dictionary.__file__).parent / "migrations" / "versions" / "0008_case_results.py"
    spec = importlib.util.spec_from_file_location("m0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [tuple(r) for r in module.SEED] == list(result_dictionary.DEFAULTS)


def test_dictionary__problem_codes_are_a_and_its_children_and_8(w):
    assert result_dictionary.problem_codes() == ["A", "2", "B", "C", "6", "D", "3", "4", "5", "G", "8"]


def test_dictionary__office_adds_edits_and_deactivates_on_the_page(app, w):
    office = login(app, w["office"])
    page = office.get("/admin/result-codes")
    assert page.status_code == 200 and "不配合检查情节严重" in page.get_data(as_text=True)
    added = post(
        office,
        "/admin/result-codes",
        {"code": "h", "name": "拒绝提供资料", "parent_code": "A", "active": "true"},
    )
    assert added.status_code == 302 and _code("H").parent_code == "A"
    assert "H" in result_dictionary.problem_codes()  # under A: a problem
    taken = post(office, "/admin/result-codes", {"code": "H", "name": "重复"})
    assert taken.status_code == 422 and "该代码已存在" in taken.get_data(as_text=True)
    bad = post(office, "/admin/result-codes", {"code": "甲", "name": "", "sort_order": "x"})
    assert bad.status_code == 422 and "代码为 1–8 位数字或大写字母" in bad.get_data(as_text=True)
    # deactivate F (the form's "active" checkbox left unticked)
    saved = post(
        office, "/admin/result-codes/F", {"name": "未发现开展本次抽查涉及的经营活动", "sort_order": "130"}
    )
    assert saved.status_code == 302 and _code("F").active is False
    assert login(app, w["fire_inspector"]).get("/admin/result-codes").status_code == 403


def test_dictionary__checklist_offers_and_accepts_only_active_codes(app, w):
    inspector = login(app, w["fire_inspector"])
    url = f"/tasks/{w['fire_task'].id}"
    assert 'name="results.0.result_codes" value="F"' in inspector.get(url).get_data(as_text=True)
    result_dictionary.update("F", {"active": False})
    result_dictionary.add({"code": "H", "name": "拒绝提供资料", "parent_code": "A"})
    db.session.commit()
    html = inspector.get(url).get_data(as_text=True)
    assert 'value="F"' not in html and 'name="results.0.result_codes" value="H"' in html
    refused = post(inspector, url, checklist_form(w["fire_task"], {0: ["F"]}))
    assert refused.status_code == 422 and "请选择有效的选项" in refused.get_data(as_text=True)
    assert post(inspector, url, checklist_form(w["fire_task"], {0: ["H"]})).status_code == 302
    assert _code("H").used_at is None  # marked when every department has submitted


def test_dictionary__no_problem_is_exclusive_with_a_clear_422(app, w):
    inspector = login(app, w["fire_inspector"])
    resp = api(inspector, "GET", f"/api/v1/tasks/{w['fire_task'].id}")
    form = resp.get_json()["form_data"]
    form["results"][0]["result_codes"] = ["1", "E"]
    refused = api(inspector, "POST", f"/api/v1/tasks/{w['fire_task'].id}/complete", form)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        "results.0.result_codes": "“未发现问题”不能与其他检查结果同时选择"
    }


def test_dictionary__used_codes_cannot_be_deleted_only_deactivated(app, w):
    for dept in ("lead", "fire", "health"):
        task = task_of(w["case"].id, w[dept])
        codes = {0: ["E"], 1: ["1"]} if dept == "lead" else {0: ["1"]}
        resp = post(login(app, w[f"{dept}_inspector"]), f"/tasks/{task.id}", checklist_form(task, codes))
        assert resp.status_code == 302
    assert _code("E").used_at is not None and _code("1").used_at is not None
    office = login(app, w["office"])
    refused = api(office, "DELETE", "/api/v1/result-codes/E")
    assert refused.status_code == 409 and "不能删除" in refused.get_json()["error"]["message"]
    assert post(office, "/admin/result-codes/E/delete").status_code == 409
    assert api(office, "PATCH", "/api/v1/result-codes/E", {"active": False}).get_json()["active"] is False
    assert api(office, "DELETE", "/api/v1/result-codes/12").status_code == 204
    assert _code("12") is None and _code("E") is not None
    assert api(office, "DELETE", "/api/v1/result-codes/A").status_code == 409  # has children


def test_dictionary__api_lists_for_everyone_and_edits_for_the_office(app, w):
    inspector = login(app, w["fire_inspector"])
    listed = api(inspector, "GET", "/api/v1/result-codes?active=true").get_json()["items"]
    assert listed[0] == {
        "code": "1",
        "name": "未发现问题",
        "parent_code": None,
        "counts_as_problem": False,
        "problem": False,
        "sort_order": 10,
        "active": True,
        "in_use": False,
    }
    assert next(i for i in listed if i["code"] == "2")["problem"] is True
    assert api(inspector, "POST", "/api/v1/result-codes", {"code": "Z", "name": "x"}).status_code == 403
    office = login(app, w["office"])
    made = api(office, "POST", "/api/v1/result-codes", {"code": "Z", "name": "其他", "sort_order": 5})
    assert made.status_code == 201 and made.get_json()["sort_order"] == 5
    bad = api(office, "POST", "/api/v1/result-codes", {"code": "Y", "name": "x", "parent_code": "2"})
    assert bad.status_code == 422 and "parent_code" in bad.get_json()["error"]["fields"]
