"""The public result pages: search by USCC (exact) or name prefix, keyset paging, an enterprise's
history, follow-up outcomes; and 公示管理: corrections by the office or the lead department,
public with their reason, the original kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from adapters.db import db
from adapters.models import PublicationCorrection, PublishedFollowUp, PublishedResult
from tests import factories as f


def _result(n: int, name: str, uscc: str, lead_id: int | None, **kw) -> PublishedResult:
    row = PublishedResult(
        case_id=f"C-{n:04d}",
        uscc=uscc,
        enterprise_name=name,
        organs=["市场监管局"],
        lead_department_id=lead_id,
        completed_on=date(2026, 9, 22),
        result_text="未发现问题",
        items=[
            {
                "department": "市场监管局",
                "item_code": "SC-01",
                "item_name": "食品经营许可",
                "result_codes": ["1"],
                "result_names": ["未发现问题"],
            }
        ],
        published_at=datetime(2026, 9, 22, 2, tzinfo=UTC),
        correction_count=0,
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def world(app):
    f.region()
    lead, other, office_dept = (
        f.department("市场监管局"),
        f.department("消防救援支队"),
        f.department("双随机办"),
    )
    w = {
        "lead": lead,
        "office": f.account("office", ["office"], office_dept.id),
        "lead_officer": f.account("lead_officer", ["officer"], lead.id),
        "other_officer": f.account("other_officer", ["officer"], other.id),
    }
    # 45 restaurants "石家庄甲…", 3 inspections of one enterprise, one elsewhere
    w["many"] = [_result(n, f"石家庄甲{n:03d}餐饮店", f.uscc(n), lead.id) for n in range(45)]
    w["history"] = [_result(100 + n, "保定乙商贸有限公司", f.uscc(500), lead.id) for n in range(3)]
    w["other"] = _result(200, "保定丙酒店", f.uscc(600), other.id)
    db.session.add(
        PublishedFollowUp(
            follow_up_id="C-0100-1",
            case_id="C-0100",
            result_id=w["history"][0].id,
            department_name="消防救援支队",
            problem="疏散通道堵塞",
            measures="责令立即清理",
            outcome="rectified",
            outcome_name="已责令改正并完成整改",
            completed_on=date(2026, 10, 9),
        )
    )
    db.session.commit()
    return w


def _names(html: str) -> list[str]:
    return re.findall(r'href="/public/results/\d+">([^<]+)</a>', html)


def test_search__name_prefix_pages_through_every_match_once(app, world):
    client = f.client(app)
    seen, url = [], "/public/results?q=石家庄甲"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _names(html)
        found = re.search(r'href="(/public/results\?[^"]*after=\d+[^"]*)">', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 45


def test_search__prefix_is_literal_and_exact(app, world):
    client = f.client(app)
    assert len(_names(client.get("/public/results?q=石家庄甲00").get_data(as_text=True))) == 10
    assert (
        _names(client.get("/public/results?q=保定").get_data(as_text=True))
        == ["保定丙酒店"] + ["保定乙商贸有限公司"] * 3
    )
    for text in ("石家庄%", "石家庄_", "*", "石家庄甲0[0]"):
        assert _names(client.get("/public/results", query_string={"q": text}).get_data(as_text=True)) == []


def test_search__uscc_is_exact_and_newest_first(app, world):
    client = f.client(app)
    html = client.get(f"/public/results?q={f.uscc(500)}").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'href="/public/results/(\d+)"', html)]
    assert ids == sorted((r.id for r in world["history"]), reverse=True)
    assert "石家庄甲" not in html
    assert "石家庄甲" not in client.get(f"/public/results?q={f.uscc(500)[:17]}X").get_data(as_text=True)


def test_search__bad_cursor_or_query_is_a_400(app, world):
    client = f.client(app)
    assert client.get("/public/results?after=abc").status_code == 400
    assert client.get("/public/results?q=" + "x" * 201).status_code == 400
    assert client.get("/public/results/999999").status_code == 404
    assert client.get("/public/enterprises/NOTAUSCC").status_code == 404


def test_enterprise_history__every_inspection_with_its_follow_ups(app, world):
    html = f.client(app).get(f"/public/enterprises/{f.uscc(500)}").get_data(as_text=True)
    assert html.count('href="/public/results/') == 3
    assert "疏散通道堵塞" in html and "责令立即清理" in html


def test_follow_ups__listed_with_their_enterprise(app, world):
    html = f.client(app).get("/public/follow-ups").get_data(as_text=True)
    assert "保定乙商贸有限公司" in html and "已责令改正并完成整改" in html and "2026-10-09" in html


def test_correction__office_corrects_and_the_public_sees_the_history(app, world):
    record = world["history"][1]
    client = f.client(app)
    f.login_as(client, world["office"])
    form_page = client.get(f"/publication/results/{record.id}/correct").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page).group(1)
    data = {
        "csrf_token": token,
        "enterprise_name": "保定乙商贸有限责任公司",
        "uscc": record.uscc,
        "completed_on": "2026-09-22",
        "item_0": ["A", "2"],
        "reason": "企业名称和检查结果录入有误",
    }
    response = client.post(f"/publication/results/{record.id}/correct", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PublishedResult, record.id).enterprise_name == "保定乙商贸有限责任公司"
    assert (
        db.session.get(PublishedResult, record.id).result_text
        == "发现问题待后续处理；违反工商行政管理相关规定"
    )
    public = f.client(app).get(f"/public/results/{record.id}").get_data(as_text=True)
    assert "企业名称和检查结果录入有误" in public
    assert "保定乙商贸有限公司" in public and "保定乙商贸有限责任公司" in public  # before and after
    assert "未发现问题" in public and "双随机办" in public


def test_correction__without_reason_or_with_unknown_code_changes_nothing(app, world):
    record = world["history"][0]
    client = f.client(app)
    f.login_as(client, world["office"])
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get(f"/publication/results/{record.id}/correct").get_data(as_text=True),
    ).group(1)
    base = {
        "csrf_token": token,
        "enterprise_name": "新名称",
        "uscc": record.uscc,
        "completed_on": "2026-09-22",
    }
    assert client.post(f"/publication/results/{record.id}/correct", data=base).status_code == 422
    bad = {**base, "reason": "更正", "item_0": ["ZZ"]}
    assert client.post(f"/publication/results/{record.id}/correct", data=bad).status_code == 422
    same = {**base, "enterprise_name": record.enterprise_name, "reason": "无变化", "item_0": ["1"]}
    assert client.post(f"/publication/results/{record.id}/correct", data=same).status_code == 422
    db.session.expire_all()
    assert db.session.get(PublishedResult, record.id).enterprise_name == "保定乙商贸有限公司"
    assert db.session.execute(select(PublicationCorrection)).first() is None


def test_correction_api__lead_department_yes_other_department_no(app, world):
    record = world["history"][2]
    follow_up = db.session.execute(select(PublishedFollowUp)).scalar_one()
    body = {"reason": "办结日期录入有误", "completed_on": "2026-09-23"}
    url = f"/api/v1/publication/results/{record.id}/corrections"
    other = f.client(app)
    f.login_as(other, world["other_officer"])
    token = f.csrf_token(other)
    assert other.post(url, json=body, headers={"X-CSRFToken": token}).status_code == 403
    lead = f.client(app)
    f.login_as(lead, world["lead_officer"])
    token = f.csrf_token(lead)
    created = lead.post(url, json=body, headers={"X-CSRFToken": token})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["changes"] == {"completed_on": {"before": "2026-09-22", "after": "2026-09-23"}}
    fu_url = f"/api/v1/publication/follow-ups/{follow_up.id}/corrections"
    assert (
        lead.post(fu_url, json={"reason": "x", "outcome": "nope"}, headers={"X-CSRFToken": token}).status_code
        == 422
    )
    done = lead.post(
        fu_url, json={"reason": "处置结果更正", "outcome": "penalized"}, headers={"X-CSRFToken": token}
    )
    assert done.status_code == 201
    listed = lead.get("/api/v1/publication/results").get_json()["items"]
    assert {r["lead_department_id"] for r in listed} == {world["lead"].id}  # not department B's case
    detail = lead.get(f"/api/v1/publication/results/{world['history'][0].id}").get_json()
    assert [c["changes"]["outcome"]["after"] for c in detail["corrections"]] == ["已立案查处"]
