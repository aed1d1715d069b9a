"""Industry joint lists (一业一查清单): the office, or an officer of the lead department, writes."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import IndustryJointList, User
from tests import factories as f


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def setup(app):
    market, fire, env = f.department("市场监管局"), f.department("消防救援支队"), f.department("生态环境局")
    f.account("office", ["office"], market.id)
    f.account("officer", ["officer"], market.id)
    f.account("fire_officer", ["officer"], fire.id)
    items = {
        "licence": f.item("SC-01", "食品经营许可", market.id),
        "fire": f.item("XF-01", "消防安全", fire.id),
        "fumes": f.item("HJ-01", "油烟净化设施运行", env.id),
    }
    db.session.commit()
    return market, fire, env, items


def _login(client, username: str) -> None:
    f.login_as(client, db.session.execute(db.select(User).filter_by(username=username)).scalar_one())


def _form(client, lead_id: int, cooperating: list[int], items: list[int], **kw) -> dict:
    token = f.csrf_token(client, "/registers/joint-lists/new")
    data = {
        "csrf_token": token,
        "name": "餐饮服务",
        "industry_codes": "621，H622",
        "lead_department_id": lead_id,
    }
    data |= {"cooperating_department_ids": cooperating, "item_ids": items, "frequency_per_year": 1}
    return {**data, **kw}


def test_joint_list_page__officer_of_the_lead_department_creates_and_edits(client, setup):
    market, fire, env, items = setup
    _login(client, "officer")
    ids = [items["licence"].id, items["fire"].id]
    assert (
        client.post("/registers/joint-lists/new", data=_form(client, market.id, [fire.id], ids)).status_code
        == 302
    )
    jl = db.session.execute(db.select(IndustryJointList)).scalar_one()
    assert jl.industry_codes == ["621", "622"] and [d.id for d in jl.departments] == [market.id, fire.id]

    more = _form(client, market.id, [fire.id, env.id], [*ids, items["fumes"].id], frequency_per_year=2)
    assert client.post(f"/registers/joint-lists/{jl.id}/edit", data=more).status_code == 302
    page = client.get("/registers/joint-lists").get_data(as_text=True)
    assert "油烟净化设施运行" in page and "每年 2 次" in page and "牵头" in page


def test_joint_list_page__items_must_belong_to_a_participating_department(client, setup):
    market, fire, env, items = setup
    _login(client, "office")
    data = _form(client, market.id, [fire.id], [items["licence"].id, items["fumes"].id])
    resp = client.post("/registers/joint-lists/new", data=data)
    assert resp.status_code == 200 and "不属于牵头部门或协同部门" in resp.get_data(as_text=True)
    bad_code = client.post("/registers/joint-lists/new", data={**data, "industry_codes": "99"})
    assert "大类不存在" in bad_code.get_data(as_text=True)
    assert db.session.execute(db.select(IndustryJointList)).first() is None


def test_joint_list_page__officer_of_another_department_gets_403(client, setup):
    market, fire, env, items = setup
    _login(client, "fire_officer")
    data = _form(client, market.id, [fire.id], [items["fire"].id])
    assert client.post("/registers/joint-lists/new", data=data).status_code == 403
    jl = IndustryJointList(name="加油站", industry_codes=["5265"], lead_department_id=market.id)
    db.session.add(jl)
    db.session.commit()
    assert client.get(f"/registers/joint-lists/{jl.id}/edit").status_code == 403
    token = f.csrf_token(client, "/registers/joint-lists")
    assert (
        client.post(f"/registers/joint-lists/{jl.id}/deactivate", data={"csrf_token": token}).status_code
        == 403
    )


def test_joint_list_api__create_shows_departments_with_their_items(client, setup):
    market, fire, env, items = setup
    office = db.session.execute(db.select(User).filter_by(username="office")).scalar_one()
    auth = {"Authorization": f"Bearer {f.api_token(office)}"}
    body = {
        "name": "餐饮服务",
        "industry_codes": ["621", "622"],
        "lead_department_id": market.id,
        "cooperating_department_ids": [fire.id, env.id],
        "item_ids": [i.id for i in items.values()],
    }
    created = client.post("/api/v1/joint-lists", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    groups = created.get_json()["departments"]
    assert [(g["department"]["name"], g["role"], [i["code"] for i in g["items"]]) for g in groups] == [
        ("市场监管局", "lead", ["SC-01"]),
        ("消防救援支队", "cooperating", ["XF-01"]),
        ("生态环境局", "cooperating", ["HJ-01"]),
    ]
    jl_id = created.get_json()["id"]
    listed = client.get(f"/api/v1/joint-lists?industry=62&department_id={env.id}", headers=auth).get_json()
    assert [j["id"] for j in listed["items"]] == [jl_id]
    assert client.get("/api/v1/joint-lists?industry=52", headers=auth).get_json()["items"] == []
    bad = client.patch(f"/api/v1/joint-lists/{jl_id}", json={"frequency_per_year": 0}, headers=auth)
    assert bad.status_code == 422 and "frequency_per_year" in bad.get_json()["error"]["fields"]
    done = client.post(f"/api/v1/joint-lists/{jl_id}/deactivate", headers=auth)
    assert done.get_json()["active"] is False


def test_joint_list_page__post_missing_a_field_keeps_the_stored_value(client, setup):
    market, fire, env, items = setup
    jl = IndustryJointList(name="加油站", industry_codes=["5265"], lead_department_id=market.id)
    db.session.add(jl)
    db.session.commit()
    _login(client, "office")
    token = f.csrf_token(client, f"/registers/joint-lists/{jl.id}/edit")
    data = {
        "csrf_token": token,
        "name": "加油站（调整）",
        "lead_department_id": market.id,
        "frequency_per_year": 2,
    }
    assert client.post(f"/registers/joint-lists/{jl.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert (jl.name, jl.industry_codes, jl.frequency_per_year) == ("加油站（调整）", ["5265"], 2)
