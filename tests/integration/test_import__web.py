"""The upload page: report table, download, access, CSRF and file checks."""

import io

from adapters.db import db
from adapters.models import Enterprise
from tests import factories as f

URL = "/registers/import"
HEADER = "企业名称,统一社会信用代码,行业代码,所属区域,注册资本\n"


def csv_bytes(bad=False, encoding="utf-8"):
    rows = [
        f"企业{i},{f.uscc(i, '130102') if not (bad and i == 1) else '123'},6210,长安区,100万\n"
        for i in range(3)
    ]
    return (HEADER + "".join(rows)).encode(encoding)


def logged_in(client, roles, department_id=None):
    f.region()
    f.region("130102", "长安区", "county", parent="130100")
    f.user("u", roles, department_id)
    db.session.commit()
    f.login(client, "u")


def post(client, data: bytes, filename="register.csv", **fields):
    form = {
        "csrf_token": f.csrf_token(client, URL),
        "kind": "enterprises",
        "file": (io.BytesIO(data), filename),
    }
    form.update(fields)
    return client.post(URL, data=form, content_type="multipart/form-data", follow_redirects=True)


def count():
    db.session.expire_all()
    return db.session.execute(db.select(db.func.count(Enterprise.id))).scalar_one()


def test_web__office_uploads_and_sees_the_report(client):
    logged_in(client, ["office"])
    page = post(client, csv_bytes(encoding="gbk")).get_data(as_text=True)
    assert "导入报告" in page and "未识别的列，已忽略" in page and "注册资本" in page
    assert count() == 3


def test_web__invalid_row_is_shown_with_row_and_column_and_full_list_downloads(client):
    logged_in(client, ["sysadmin"])
    page = post(client, csv_bytes(bad=True)).get_data(as_text=True)
    assert count() == 0
    assert "统一社会信用代码应为18位" in page and '<td data-label="行号">3</td>' in page.replace("\n", "")
    link = page.split('href="/registers/import/report/')[1].split('"')[0]
    download = client.get(f"/registers/import/report/{link}")
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")
    assert "统一社会信用代码应为18位" in download.data.decode("utf-8-sig")


def test_web__skip_invalid_and_dry_run_options(client):
    logged_in(client, ["office"])
    assert "未写入任何数据" in post(client, csv_bytes(), dry_run="y").get_data(as_text=True) and count() == 0
    post(client, csv_bytes(bad=True), skip_invalid="y")
    assert count() == 2


def test_web__officer_and_inspector_are_forbidden(client):
    dept = f.department()
    logged_in(client, ["officer"], dept.id)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={}).status_code in (400, 403)
    assert count() == 0


def test_web__upload_without_csrf_token_is_refused(client):
    logged_in(client, ["office"])
    resp = client.post(
        URL,
        data={"kind": "enterprises", "file": (io.BytesIO(csv_bytes()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 or "导入报告" not in resp.get_data(as_text=True)
    assert count() == 0


def test_web__wrong_type_and_mismatched_content_are_refused(client):
    logged_in(client, ["office"])
    assert "只能导入 CSV 和 XLSX 文件" in post(client, b"x", filename="a.exe").get_data(as_text=True)
    assert "文件内容与扩展名不符" in post(client, csv_bytes(), filename="a.xlsx").get_data(as_text=True)
    assert count() == 0


def test_web__too_large_upload_is_refused(client, app, monkeypatch):
    logged_in(client, ["office"])
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)  # the app is shared: restore it
    resp = post(client, csv_bytes() * 100)
    assert resp.status_code == 413 and count() == 0


def test_web__someone_elses_report_token_is_not_served(client):
    logged_in(client, ["office"])
    assert client.get("/registers/import/report/" + "0" * 32 + ".csv").status_code == 404


def test_web__blank_template_has_the_headers(client):
    logged_in(client, ["office"])
    resp = client.get("/registers/import/template/inspectors.csv")
    assert resp.data.decode("utf-8-sig").startswith("姓名,所属部门,执法证号")


def test_web__another_users_import_is_not_shown(client, app):
    logged_in(client, ["office"])
    resp = post(client, csv_bytes(bad=True))
    token = resp.request.path.rsplit("/", 1)[1]
    f.user("other", ["office"])
    db.session.commit()
    other = f.client(app)
    f.login(other, "other")
    assert other.get(f"{URL}/{token}").status_code == 404
    assert other.get(f"{URL}/report/{token}.csv").status_code == 404
    assert client.get(f"{URL}/report/{token}.csv").status_code == 200


def test_web__import_runs_in_a_real_rq_worker_and_the_page_follows_it(rq_app):
    from tests.integration.test_jobs__rq import _work

    client = f.client(rq_app)
    with rq_app.app_context():
        logged_in(client, ["office"])
        resp = post(client, csv_bytes())
        assert "后台导入" in resp.get_data(as_text=True)  # the page says the import is running
        assert count() == 0  # nothing happened inside the request
        _work(rq_app)
        page = client.get(resp.request.path).get_data(as_text=True)
        assert count() == 3 and 'id="report"' in page and "refresh" not in page
