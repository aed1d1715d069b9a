"""随机抽查通知书: the printable page and the PDF list the enterprise, the departments with their
items, the inspectors with their certificate numbers, the team leader, the number and dates."""

from __future__ import annotations

import pytest

from adapters.db import db
from tests import factories as f
from tests.integration.cases_support import build_world, login, start_case, start_data, task_of, who
from web.runtime import workflow


@pytest.fixture
def w(app):
    world = build_world()
    data = start_data(world)
    data["inspectors"] = [
        {
            "department_id": world["lead"].id,
            "inspector_id": 1,
            "name": "张执法",
            "cert_no": "13010000001",
            "leader": True,
        },
        {
            "department_id": world["lead"].id,
            "inspector_id": 2,
            "name": "李执法",
            "cert_no": "13010000002",
            "leader": False,
        },
        {
            "department_id": world["fire"].id,
            "inspector_id": 3,
            "name": "王消防",
            "cert_no": "XF-0003",
            "leader": False,
        },
    ]
    world["case"] = workflow().start(
        "inspection_case",
        data,
        who(world["lead_officer"]),
        title="联合检查 N-1",
        department_id=world["lead"].id,
    )
    db.session.commit()
    return world


def test_notice__draft_then_issued_lists_everything(app, w):
    client = login(app, w["lead_officer"])
    url = f"/cases/{w['case'].id}/notice"
    draft = client.get(url).get_data(as_text=True)
    assert "随机抽查通知书" in draft and "草稿" in draft and "联查通〔C-2026-0001〕号" in draft
    notice = task_of(w["case"].id, w["lead"])
    assert url in client.get(f"/tasks/{notice.id}").get_data(as_text=True)  # linked from the task
    form = {"notice_no": "冀市监联查〔2026〕7号", "visit_date": "2026-09-15", "place": "经营场所"}
    workflow().complete(notice.id, form, who(w["lead_officer"]))
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "草稿" not in html and "冀市监联查〔2026〕7号" in html and "2026年9月15日" in html
    assert "石家庄某某餐饮有限公司" in html and "91310110666007217T" in html
    for text in (
        "市场监管局",
        "消防救援支队",
        "卫生健康委",
        "食品经营许可",
        "SC-02",
        "消防安全",
        "生活饮用水卫生",
    ):
        assert text in html, text
    assert "张执法" in html and "13010000001" in html and "XF-0003" in html
    assert "检查组组长：张执法" in html
    assert url in client.get(f"/cases/{w['case'].id}").get_data(as_text=True)  # linked from the case


def test_notice__pdf_with_the_chinese_font(app, w):
    resp = login(app, w["lead_inspector"]).get(f"/cases/{w['case'].id}/notice.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-") and b"STSong-Light" in resp.data and len(resp.data) > 1500


def test_notice__other_departments_and_processes_have_none(app, w):
    outsider = f.account("outsider", ["officer"], f.department("应急管理局").id)
    db.session.commit()
    assert login(app, outsider).get(f"/cases/{w['case'].id}/notice").status_code == 403
    other = start_case(w, "C-2026-0002", checklists=False)
    assert login(app, w["lead_officer"]).get(f"/cases/{other.id}/notice.pdf").status_code == 200
