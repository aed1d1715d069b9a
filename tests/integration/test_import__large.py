"""A 100,000-row county file imports in one go on both backends, streamed and batched."""

import csv
import time

from adapters.db import db
from adapters.importers import run_import
from adapters.models import Enterprise, enterprise_tags
from tests import factories as f

ROWS = 100_000


def write_file(path):
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["企业名称", "统一社会信用代码", "行业代码", "所属区域", "信用风险分类", "标签"])
        for i in range(ROWS):
            out.writerow(
                [
                    f"企业{i}",
                    f.uscc(i, "130102"),
                    "6210",
                    "长安区",
                    "ABCD"[i % 4],
                    "学校周边" if i % 10 == 0 else "",
                ]
            )
    return path


def test_large__hundred_thousand_rows_import_with_tags(app, tmp_path):
    f.region()
    f.region("130102", "长安区", "county", parent="130100")
    db.session.commit()
    path = write_file(tmp_path / "large.csv")
    started = time.perf_counter()
    report = run_import(db.engine, "enterprises", path)
    elapsed = time.perf_counter() - started
    assert (report.created, report.invalid, report.written) == (ROWS, 0, True)
    assert db.session.execute(db.select(db.func.count(Enterprise.id))).scalar_one() == ROWS
    assert (
        db.session.execute(db.select(db.func.count()).select_from(enterprise_tags)).scalar_one() == ROWS // 10
    )
    last = db.session.execute(db.select(Enterprise).filter_by(uscc=f.uscc(ROWS - 1, "130102"))).scalar_one()
    assert (last.name, last.risk_class) == (f"企业{ROWS - 1}", "DABC"[ROWS % 4])
    assert elapsed < 120, f"{ROWS} rows took {elapsed:.0f} s"
