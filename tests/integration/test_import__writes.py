"""What an import writes: all or nothing, skip-invalid, dry run, idempotence, merges, tags."""

from adapters.db import db
from adapters.importers import ImportOptions, run_import
from adapters.models import Enterprise, Inspector, Tag
from engine.importing import PILOT_CODE_REASON
from tests import factories as f

HEADER = ["企业名称", "统一社会信用代码", "行业代码", "所属区域", "地址", "信用风险分类", "登记状态", "标签"]


def setup_regions():
    f.region()
    f.region("130102", "长安区", "county", parent="130100")
    db.session.commit()


def row(i, **kw):
    values = {
        "name": f"企业{i}",
        "uscc": f.uscc(i, "130102"),
        "industry": "6210",
        "region": "130102",
        "address": f"中山路{i}号",
        "risk": "B",
        "status": "存续",
        "tags": "",
    }
    values.update(kw)
    return list(values.values())


def imported(tmp_path, rows, name="e.csv", **options):
    path = f.write_table(tmp_path / name, HEADER, rows)
    report = run_import(db.engine, "enterprises", path, ImportOptions(**options))
    db.session.expire_all()
    return report


def stored():
    return {e.uscc: e for e in db.session.execute(db.select(Enterprise)).scalars()}


def test_writes__one_invalid_row_and_nothing_is_written(app, tmp_path):
    setup_regions()
    f.enterprise(1, name="原名", region_code="130102")
    db.session.commit()
    rows = [row(1, uscc=f.uscc(1), name="新名"), row(2), row(3, industry="9999"), row(4, risk="Z")]
    report = imported(tmp_path, rows, batch_size=1)  # batches 1–2 were written, then rolled back
    assert report.outcome == "rejected" and report.invalid == 2
    assert (report.created, report.updated) == (0, 0)
    assert [(p.row, p.column) for p in report.problems] == [(4, "行业代码"), (5, "信用风险分类")]
    assert {e.name for e in stored().values()} == {"原名"}


def test_writes__skip_invalid_imports_the_sound_rows(app, tmp_path):
    setup_regions()
    report = imported(tmp_path, [row(1), row(2, region="999999"), row(3)], skip_invalid=True)
    assert report.outcome == "partial" and (report.created, report.invalid) == (2, 1)
    assert set(stored()) == {f.uscc(1, "130102"), f.uscc(3, "130102")}


def test_writes__dry_run_counts_and_writes_nothing(app, tmp_path):
    setup_regions()
    f.enterprise(1, region_code="130102")
    db.session.commit()
    report = imported(tmp_path, [row(1, uscc=f.uscc(1), name="改名"), row(2)], dry_run=True)
    assert (report.outcome, report.created, report.updated, report.written) == ("checked", 1, 1, False)
    assert [e.name for e in stored().values()] == ["企业000001"]
    assert db.session.execute(db.select(Tag)).first() is None


def test_writes__same_file_twice_changes_nothing_the_second_time(app, tmp_path):
    setup_regions()
    rows = [row(i, tags="学校周边；重点时段" if i % 2 else "") for i in range(1, 8)]
    first = imported(tmp_path, rows)
    before = {u: e.updated_at for u, e in stored().items()}
    second = imported(tmp_path, rows)
    assert (first.created, first.updated) == (7, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 7)
    assert {u: e.updated_at for u, e in stored().items()} == before


def test_writes__changed_rows_are_updated_and_empty_cells_keep_values(app, tmp_path):
    setup_regions()
    imported(tmp_path, [row(1, risk="D", tags="学校周边"), row(2)])
    report = imported(tmp_path, [row(1, name="改名", address="", risk="", status="", tags=""), row(2)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    e = stored()[f.uscc(1, "130102")]
    assert (e.name, e.address, e.risk_class, e.status) == ("改名", "中山路1号", "D", "active")
    assert [t.name for t in e.tags] == ["学校周边"]


def test_writes__tags_are_created_and_replaced_and_count_as_an_update(app, tmp_path):
    setup_regions()
    f.tag("学校周边")
    db.session.commit()
    imported(tmp_path, [row(1, tags="学校周边、旅游景区")])
    report = imported(tmp_path, [row(1, tags="旅游景区;网络交易")])
    assert (report.updated, report.unchanged) == (1, 0)
    assert sorted(t.name for t in stored()[f.uscc(1, "130102")].tags) == ["旅游景区", "网络交易"]
    assert sorted(db.session.execute(db.select(Tag.name)).scalars()) == ["学校周边", "旅游景区", "网络交易"]


def test_writes__pilot_code_needs_the_option_and_records_the_override(app, tmp_path):
    setup_regions()
    operator = f.user("office1", ["office"])
    db.session.commit()
    pilot = f.pilot_uscc(5)
    refused = imported(tmp_path, [row(5, uscc=pilot, region="130100")])
    assert refused.outcome == "rejected" and "校验位" in refused.problems[0].message
    accepted = imported(
        tmp_path, [row(5, uscc=pilot, region="130100")], allow_pilot_codes=True, by_user_id=operator.id
    )
    assert accepted.created == 1
    e = stored()[pilot]
    assert (
        e.uscc_override
        and e.uscc_override_reason == PILOT_CODE_REASON
        and e.uscc_override_by_id == operator.id
    )
    assert e.uscc_override_at is not None


def test_writes__duplicate_codes_in_one_file_reject_the_later_row(app, tmp_path):
    setup_regions()
    report = imported(tmp_path, [row(1), row(2), row(1, name="重复")], skip_invalid=True)
    assert report.created == 2 and [(p.row, "与第2行重复" in p.message) for p in report.problems] == [
        (4, True)
    ]
    assert stored()[f.uscc(1, "130102")].name == "企业1"


INSPECTOR_HEADER = ["姓名", "所属部门", "执法证号", "执法领域", "标签", "所属区域", "状态"]


def test_writes__inspectors_by_certificate_number(app, tmp_path):
    setup_regions()
    county = f.department("长安区市场监管局", "county", "130102")
    db.session.commit()
    path = f.write_table(
        tmp_path / "i.csv",
        INSPECTOR_HEADER,
        [
            ["张三", "长安区市场监管局", "13010200001", "食品", "食品安全；特种设备", "长安区", "在岗"],
            ["李四", "长安区市场监管局", "13010200002", "", "", "", "停用"],
        ],
    )
    first = run_import(db.engine, "inspectors", path)
    again = run_import(db.engine, "inspectors", path)
    assert (first.created, again.unchanged, again.updated) == (2, 2, 0)
    people = {i.cert_no: i for i in db.session.execute(db.select(Inspector)).scalars()}
    assert people["13010200001"].department_id == county.id and people["13010200001"].region_code == "130102"
    assert sorted(t.name for t in people["13010200001"].tags) == ["特种设备", "食品安全"]
    assert people["13010200002"].active is False and people["13010200001"].active is True
