"""Public pages and exports never contain the credit risk class or the inspectors' personal data
(names, certificate numbers, phones) — with a case whose enterprise is risk class D, whose start
data lists its drawn inspectors, and whose checklist notes name an inspector."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.models import PublishedResult
from adapters.publication.corrections import correct_result
from adapters.publication.publish import publish_follow_up
from engine.access import Actor
from tests import factories as f
from tests.integration import publication_support as s
from tests.unit.process_support import filled_checklist

FORBIDDEN_WORDS = ("风险", "risk", "Risk", "RISK", "inspector", "执法证", "cert_no", "phone")


def _note_naming_an_inspector(form: dict) -> dict:
    filled = filled_checklist(form, ["A", "B"])
    for row in filled["results"]:
        row["note"] = f"检查人员 {s.INSPECTORS[2][2]}（{s.INSPECTORS[2][1]}，{s.INSPECTORS[2][3]}）现场发现"
    return filled


@pytest.fixture
def published(app):
    w = s.build_world()
    case = s.run_to_publication(w, _note_naming_an_inspector)
    # the case itself holds what must not leak: the inspectors in its start data and a note
    assert all(cert in json.dumps(case.state, ensure_ascii=False) for _d, cert, _n, _p in s.INSPECTORS)
    record = db.session.execute(select(PublishedResult)).scalar_one()
    publish_follow_up(
        case_id=record.case_id,
        follow_up_id=f"{record.case_id}-1",
        department=str(w["fire"].id),
        problem="消防安全",
        measures="责令限期整改",
        outcome="rectified",
        completed_on="2026-10-09",
    )
    office = Actor(w["office"].id, w["office"].department_id, frozenset({"office"}))
    correct_result(record, {"item_results": {"1": ["E"]}}, "录入有误，更正为已责令改正", office, "office")
    db.session.commit()
    return w, record


def _public_urls(app, record: PublishedResult) -> list[str]:
    """Every public page (the rules under /public), with its variables filled, plus searches,
    exports of a search and the English pages."""
    values = {"result_id": record.id, "uscc": record.uscc, "plan_id": 1}
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/public/") and "GET" in rule.methods:
            urls.append(_fill(rule, values))
    name_prefix = record.enterprise_name[:4]
    extra = [
        f"/public/results?q={name_prefix}",
        f"/public/results?q={record.uscc}",
        f"/public/results/export.csv?q={name_prefix}",
        f"/public/results/export.json?q={record.uscc}",
    ]
    return urls + extra + [u + ("&" if "?" in u else "?") + "lang=en" for u in urls + extra]


def _fill(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
    return url


def test_public_pages__never_show_risk_class_or_inspectors(app, published):
    w, record = published
    client = f.client(app)
    secrets = [value for _dept, *person in s.INSPECTORS for value in person]
    urls = _public_urls(app, record)
    assert {"/public/results", "/public/follow-ups", f"/public/results/{record.id}"} <= set(urls)
    shown = 0
    for url in urls:
        response = client.get(url)
        if url.startswith("/public/plans/1"):
            assert response.status_code == 404  # no published annual plan in this world
            continue
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        leaked = [x for x in (*secrets, *FORBIDDEN_WORDS) if x in body]
        assert not leaked, f"{url} shows {leaked}"
        shown += s.ENTERPRISE_NAME in body
    assert shown >= 10  # the pages did show the record (a blank page would pass the scan)


def test_exports__national_layout_without_personal_data(app, published):
    w, record = published
    client = f.client(app)
    text = client.get("/public/results/export.csv").get_data(as_text=True)
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    assert header.split(",")[:10] == [
        "统一社会信用代码",
        "企业名称",
        "抽查计划编号",
        "抽查计划名称",
        "抽查任务编号",
        "抽查任务名称",
        "检查实施机关",
        "类型",
        "日期",
        "结果",
    ]
    assert row.startswith(f"{record.uscc},{s.ENTERPRISE_NAME},2026-130100,") and "部门联合抽查" in row
    body = client.get("/public/results/export.json").get_json()
    (item,) = body["items"]
    assert set(item) == set(body["fields"])
    assert item["检查实施机关"] == "市场监管局、消防救援支队" and item["更正次数"] == 1
    assert item["检查事项及结果"][1] == {
        "检查实施机关": "消防救援支队",
        "检查事项": "消防安全",
        "检查结果": "发现问题已责令改正",
    }
    dumped = json.dumps(body, ensure_ascii=False)
    assert not [x for x in (*[p for _d, *ps in s.INSPECTORS for p in ps], *FORBIDDEN_WORDS) if x in dumped]
