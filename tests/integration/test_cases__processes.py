"""Process models admin: uploading versions through the page and the API. A model with problems is
refused as a whole (every problem listed, no version row); a valid one becomes version n+1."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from adapters.db import db
from adapters.models import ProcessVersion
from adapters.workflow import versions
from engine.models import load_model_folder
from tests.integration.cases_support import api, build_world, login, post
from tests.unit.process_support import linear, tiny_model


@pytest.fixture
def w(app):
    return build_world()


def shipped(**changes: bytes) -> dict[str, bytes]:
    files = load_model_folder(versions.PROCESSES_DIR / "inspection_case")
    return {**files, **changes}


def bpmn_with(old: str, new: str) -> bytes:
    text = shipped()["inspection_case.bpmn"].decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def multipart(files: dict[str, bytes], **extra) -> dict:
    return {"files": [(io.BytesIO(data), name) for name, data in files.items()], **extra}


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProcessVersion))


BUSINESS_RULE = (
    '<bpmn:businessRuleTask id="e1" name="判定风险比例"><bpmn:extensionElements>'
    "<spiffworkflow:calledDecisionId>risk_ratio</spiffworkflow:calledDecisionId>"
    "</bpmn:extensionElements></bpmn:businessRuleTask>"
)
CORPUS = {
    "malformed XML": (
        lambda: shipped(**{"inspection_case.bpmn": bpmn_with("</bpmn:process>", "</bpmn:proces>")}),
        ("inspection_case.bpmn", "XML 格式错误"),
    ),
    "complex gateway": (
        lambda: shipped(
            **{
                "inspection_case.bpmn": bpmn_with(
                    '<bpmn:startEvent id="start"', '<bpmn:complexGateway id="cg"/><bpmn:startEvent id="start"'
                )
            }
        ),
        ("inspection_case.bpmn", "不支持的元素：复杂网关"),
    ),
    "missing DMN": (lambda: tiny_model(linear(BUSINESS_RULE)), ("p.bpmn", "risk_ratio")),
    "bad script": (
        lambda: shipped(
            **{
                "inspection_case.bpmn": bpmn_with(
                    "overdue = False</bpmn:script>", "overdue = = False</bpmn:script>"
                )
            }
        ),
        ("inspection_case.bpmn", "prepare"),
    ),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_upload__bad_model_is_refused_with_its_problems(app, w, case):
    build, (file, needle) = CORPUS[case]
    before = version_count()
    resp = post(
        login(app, w["office"]),
        "/admin/processes/upload",
        multipart(build()),
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "流程模型未保存" in html
    assert file in html and needle in html
    assert version_count() == before


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_upload_api__bad_model_is_422_with_located_fields(app, w, case):
    build, (file, needle) = CORPUS[case]
    before = version_count()
    resp = api_multipart(login(app, w["office"]), build())
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    assert any(key.startswith(file + ":") and needle in key + message for key, message in fields.items()), (
        fields
    )
    assert version_count() == before


def api_multipart(client, files: dict[str, bytes], deploy: bool = False):
    data = multipart(files, **({"deploy": "true"} if deploy else {}))
    return client.post(
        "/api/v1/processes/versions",
        data=data,
        content_type="multipart/form-data",
        headers={"X-CSRFToken": client.csrf},
    )


def test_upload__valid_model_becomes_the_next_version(app, w):
    v1 = versions.latest_deployed(db.session, "inspection_case")
    meta = shipped()["model.json"].decode().replace("结果录入与审核期限", "结果录入、审核期限", 1).encode()
    office = login(app, w["office"])
    resp = post(
        office,
        "/admin/processes/upload",
        multipart(shipped(**{"model.json": meta}), deploy="1"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    db.session.expire_all()
    v2 = versions.latest_deployed(db.session, "inspection_case")
    assert v2.version == v1.version + 1 and db.session.get(ProcessVersion, v1.id).status == "retired"
    page = office.get(resp.headers["Location"]).get_data(as_text=True)
    assert "inspection_case.bpmn" in page and "checklist.json" in page and "case-diagram" in page
    stored = version_count()
    same = post(
        office,
        "/admin/processes/upload",
        multipart(shipped(**{"model.json": meta})),
        content_type="multipart/form-data",
    )
    assert same.status_code == 302 and version_count() == stored  # the same files: no new version


def test_upload_api__valid_draft_then_deploy(app, w):
    office = login(app, w["office"])
    meta = (
        shipped()["model.json"].decode().replace("一业一查联合检查", "一业一查联合检查（试行）", 1).encode()
    )
    resp = api_multipart(office, shipped(**{"model.json": meta}))
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["status"] == "draft" and body["version"] == 2 and "inspection_case.bpmn" in body["files"]
    deployed = api(office, "POST", f"/api/v1/processes/versions/{body['id']}/deploy").get_json()
    assert deployed["status"] == "deployed"
    listed = office.get("/api/v1/processes/inspection_case/versions").get_json()["items"]
    assert [(v["version"], v["status"]) for v in listed] == [(2, "deployed"), (1, "retired")]


def test_upload__wrong_file_types_are_refused(app, w):
    office = login(app, w["office"])
    resp = post(
        office, "/admin/processes/upload", multipart({"setup.exe": b"MZ"}), content_type="multipart/form-data"
    )
    assert resp.status_code == 422 and "setup.exe" in resp.get_data(as_text=True)
    assert post(office, "/admin/processes/upload", {}).status_code == 422


def test_processes__for_the_office_and_sysadmin_only(app, w):
    for user in ("lead_officer", "auditor", "fire_inspector"):
        client = login(app, w[user])
        assert client.get("/admin/processes").status_code == 403
        assert (
            post(
                client, "/admin/processes/upload", multipart(shipped()), content_type="multipart/form-data"
            ).status_code
            == 403
        )
        assert client.get("/api/v1/processes").status_code == 403
    html = login(app, w["office"]).get("/admin/processes").get_data(as_text=True)
    assert "联合检查案件" in html and "后续处置" in html and "已部署" in html
