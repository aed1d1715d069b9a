"""Importing enterprises into PostgreSQL against a raw psycopg executemany of the same rows.

Both load the same generated CSV into the same (migrated, empty) table of two fresh copies of
one database. The floor reads the file with csv.reader and inserts the rows as they are with one
streaming executemany; the importer checks every row (identifiers, codes, regions, duplicates),
creates tags and upserts. Goal: the importer takes at most twice the floor's time.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

import psycopg
from sqlalchemy import create_engine

from bench.common import Result, database_name, migrate, scratch_databases, sqlalchemy_url, timed
from engine.identifiers import make_uscc

DEFAULT_SIZE = 1_000_000
GOAL = "≥ 0.5"
HEADER = [
    "企业名称",
    "统一社会信用代码",
    "行业代码",
    "所属区域",
    "地址",
    "法定代表人",
    "联系电话",
    "信用风险分类",
    "登记状态",
    "标签",
    "最近检查日期",
]
COUNTIES = [
    ("130102", "长安区"),
    ("130104", "桥西区"),
    ("130105", "新华区"),
    ("130108", "裕华区"),
    ("130110", "鹿泉区"),
]
INDUSTRIES = ["6210", "6220", "5265", "5251", "8391", "6110", "5430", "5211"]
TAGS = ["学校周边", "旅游景区", "重点时段", "连锁经营", "网络交易"]
STATUS = {"存续": "active", "注销": "deregistered"}


def write_csv(path: Path, size: int) -> None:
    """`size` valid enterprise rows, one in ten with tags (a county export's shape)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(size):
            area = COUNTIES[i % len(COUNTIES)][0]
            out.writerow(
                [
                    f"石家庄市第{i}号餐饮服务有限公司",
                    make_uscc("9", "1", area, f"{i:08d}"),
                    INDUSTRIES[i % len(INDUSTRIES)],
                    area,
                    f"河北省石家庄市中山路{i % 997}号",
                    f"张{i % 100}",
                    f"0311-{8000000 + i % 1000000}",
                    "ABCD"[i % 4],
                    "注销" if i % 50 == 0 else "存续",
                    "；".join(TAGS[i % 5 : i % 5 + 2]) if i % 10 == 0 else "",
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ]
            )


def seed_regions(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO regions (code, name, level, active) VALUES ('130100', '石家庄市', 'city', true)"
        )
        for code, name in COUNTIES:
            conn.execute(
                "INSERT INTO regions (code, name, level, parent_code, active) VALUES (%s, %s, 'county', '130100', true)",
                (code, name),
            )


def floor(url: str, path: Path) -> None:
    """The raw load: rows as they are in the file, one executemany, one transaction."""
    sql = (
        "INSERT INTO enterprises (name, uscc, industry_code, region_code, address, legal_representative, contact,"
        " risk_class, status, last_inspected_on, uscc_override, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, false, now(), now())"
    )
    with psycopg.connect(url) as conn, path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        conn.cursor().executemany(sql, ((*r[:8], STATUS[r[8]], r[10]) for r in rows))


def importer(url: str, path: Path):
    from adapters.importers import run_import

    engine = create_engine(sqlalchemy_url(url))
    try:
        return run_import(engine, "enterprises", path)
    finally:
        engine.dispose()


def count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM enterprises").fetchone()[0]


def run(size: int, database_url: str) -> Result:
    with (
        tempfile.TemporaryDirectory(prefix="liancha_bench_") as tmp,
        scratch_databases(database_url) as (base,),
    ):
        path = Path(tmp) / "enterprises.csv"
        write_csv(path, size)
        migrate(base)
        seed_regions(base)
        with scratch_databases(database_url, 2, template=database_name(base)) as (floor_db, importer_db):
            with timed() as raw:
                floor(floor_db, path)
            with timed() as imported:
                report = importer(importer_db, path)
            loaded = (count(floor_db), count(importer_db))
    print(
        f"floor {raw.seconds:.1f} s, importer {imported.seconds:.1f} s, rows {loaded}, report {report.created}/"
        f"{report.updated}/{report.unchanged}/{report.invalid}",
        file=sys.stderr,
    )
    ratio = raw.seconds / imported.seconds
    correct = loaded == (size, size) and report.created == size and report.written
    return Result(
        bench="import_enterprises",
        figure=f"{size} rows into PostgreSQL: executemany {raw.seconds:.1f} s, importer {imported.seconds:.1f} s"
        f" ({size / imported.seconds:,.0f} rows/s){'' if correct else ' — WRONG ROW COUNT'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio >= 0.5,
    )
