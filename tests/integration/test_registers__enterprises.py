"""The enterprise register (检查对象名录库) through HTTP: pages, API, USCC checks and overrides."""

from __future__ import annotations

import pytest

from adapters.db import db
from adapters.models import Enterprise
from tests import factories as f


@pytest.fixture
def client(app):
    return f.client(app)


@pytest.fixture
def office(app, client):
    d = f.department()
    f.region("130102", "长安区", "county", "130100")
    user = f.account("office", ["office"], d.id)
    db.session.commit()
    f.login_as(client, user)
    return user


def _form(client, **overrides) -> dict:
    data = {
        "csrf_token": f.csrf_token(client, "/registers/enterprises/new"),
        "name": "石家庄市长安区味道餐馆",
        "uscc": f.uscc(1),
        "industry_code": "H6210",
        "region_code": "130102",
        "risk_class": "C",
        "status": "active",
        "address": "中山东路1号",
    }
    return {**data, **overrides}


def _one(uscc: str) -> Enterprise:
    db.session.expire_all()
    return db.session.execute(db.select(Enterprise).filter_by(uscc=uscc)).scalar_one()


def test_enterprise_page__create_then_edit(client, office):
    resp = client.post("/registers/enterprises/new", data=_form(client))
    assert resp.status_code == 302
    ent = _one(f.uscc(1))
    assert (ent.industry_code, ent.region_code, ent.risk_class) == ("6210", "130102", "C")

    data = _form(client, name="味道餐馆（新址）", status="moved")
    assert client.post(f"/registers/enterprises/{ent.id}/edit", data=data).status_code == 302
    ent = _one(f.uscc(1))
    assert (ent.name, ent.status) == ("味道餐馆（新址）", "moved")
    page = client.get("/registers/enterprises").get_data(as_text=True)
    assert "味道餐馆（新址）" in page and "迁出" in page and "C类" in page


def test_enterprise_page__invalid_uscc_is_shown_next_to_the_field(client, office):
    resp = client.post("/registers/enterprises/new", data=_form(client, uscc="91310110666007217"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "应为18位" in body
    assert db.session.execute(db.select(Enterprise)).first() is None


def test_enterprise_page__pilot_code_needs_the_override_box_and_a_reason(client, office):
    pilot = f.pilot_uscc(7)
    refused = client.post("/registers/enterprises/new", data=_form(client, uscc=pilot))
    assert refused.status_code == 200 and "校验位" in refused.get_data(as_text=True)
    no_reason = client.post("/registers/enterprises/new", data=_form(client, uscc=pilot, uscc_override="y"))
    assert "请填写" in no_reason.get_data(as_text=True)
    assert db.session.execute(db.select(Enterprise)).first() is None

    ok = client.post(
        "/registers/enterprises/new",
        data=_form(client, uscc=pilot, uscc_override="y", uscc_override_reason="2015年试点发放的代码"),
    )
    assert ok.status_code == 302
    ent = _one(pilot)
    assert ent.uscc_override and ent.uscc_override_reason == "2015年试点发放的代码"
    assert ent.uscc_override_by_id == office.id and ent.uscc_override_at is not None


def test_enterprise_page__override_never_accepts_a_structural_fault(client, office):
    bad = "9I310110666007217T"  # 'I' is not in the USCC alphabet
    resp = client.post(
        "/registers/enterprises/new",
        data=_form(client, uscc=bad, uscc_override="y", uscc_override_reason="试点"),
    )
    assert resp.status_code == 200 and "非法字符" in resp.get_data(as_text=True)
    assert db.session.execute(db.select(Enterprise)).first() is None


def test_enterprise_page__duplicate_uscc_is_refused(client, office):
    f.enterprise(1)
    db.session.commit()
    resp = client.post("/registers/enterprises/new", data=_form(client))
    assert resp.status_code == 200 and "已有该统一社会信用代码" in resp.get_data(as_text=True)


def test_enterprise_page__post_without_csrf_token_is_refused(client, office):
    data = _form(client)
    del data["csrf_token"]
    assert client.post("/registers/enterprises/new", data=data).status_code == 400
    assert db.session.execute(db.select(Enterprise)).first() is None


def test_enterprise_page__readers_see_the_list_but_cannot_write(app, client):
    d = f.department()
    officer = f.account("officer", ["officer"], d.id)
    f.enterprise(3, "可见企业")
    db.session.commit()
    f.login_as(client, officer)
    assert "可见企业" in client.get("/registers/enterprises").get_data(as_text=True)
    assert client.get("/registers/enterprises/new").status_code == 403
    token = f.csrf_token(client, "/registers/enterprises")
    assert client.post("/registers/enterprises/new", data={"csrf_token": token}).status_code == 403


def test_enterprise_api__create_get_update(client, office):
    headers = {"X-CSRFToken": f.csrf_token(client, "/registers/enterprises")}
    tag = f.tag("餐饮")
    db.session.commit()
    body = {
        "uscc": f.uscc(5).lower(),
        "name": "某某大酒店",
        "industry_code": "6210",
        "region_code": "130100",
        "risk_class": "A",
        "tag_ids": [tag.id],
    }
    created = client.post("/api/v1/enterprises", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    ent = created.get_json()
    assert ent["uscc"] == f.uscc(5) and ent["tags"] == [{"id": tag.id, "name": "餐饮"}]
    assert ent["status"] == "active" and ent["uscc_override"] is False

    patched = client.patch(f"/api/v1/enterprises/{ent['id']}", json={"risk_class": "D"}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["risk_class"] == "D"
    got = client.get(f"/api/v1/enterprises/{ent['id']}").get_json()
    assert got["name"] == "某某大酒店" and got["risk_class"] == "D" and got["region_name"] == "石家庄市"


def test_enterprise_api__pilot_code_with_override_is_recorded(client, office):
    headers = {"X-CSRFToken": f.csrf_token(client, "/registers/enterprises")}
    body = {"uscc": f.pilot_uscc(9), "name": "试点企业", "industry_code": "5265", "region_code": "130100"}
    refused = client.post("/api/v1/enterprises", json=body, headers=headers)
    assert refused.status_code == 422
    assert "校验位" in refused.get_json()["error"]["fields"]["uscc"]

    body |= {"uscc_override": True, "uscc_override_reason": "工商登记档案核实无误"}
    created = client.post("/api/v1/enterprises", json=body, headers=headers)
    assert created.status_code == 201
    out = created.get_json()
    assert out["uscc_override"] is True and out["uscc_override_by_id"] == office.id


def test_enterprise_api__bad_input_is_422_with_chinese_field_messages(client, office):
    headers = {"X-CSRFToken": f.csrf_token(client, "/registers/enterprises")}
    resp = client.post(
        "/api/v1/enterprises",
        json={"uscc": f.uscc(1), "industry_code": "6210", "risk_class": "E", "region_code": "130100"},
        headers=headers,
    )
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["fields"]["name"] == "此项为必填项" and "取值无效" in error["fields"]["risk_class"]

    bad_industry = client.post(
        "/api/v1/enterprises",
        json={"uscc": f.uscc(1), "name": "x", "industry_code": "9999", "region_code": "130100"},
        headers=headers,
    )
    assert bad_industry.status_code == 422 and "industry_code" in bad_industry.get_json()["error"]["fields"]
    unknown_region = client.post(
        "/api/v1/enterprises",
        json={"uscc": f.uscc(1), "name": "x", "industry_code": "6210", "region_code": "999999"},
        headers=headers,
    )
    assert unknown_region.get_json()["error"]["fields"] == {"region_code": "行政区划不存在"}
