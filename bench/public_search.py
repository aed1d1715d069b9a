"""The public result search (信息公示, /public/results) against the bare indexed SQL lookup.

`size` published results are bulk-loaded with COPY into a scratch PostgreSQL database migrated
like `liancha db upgrade`, then ANALYZEd. Each query is timed twice, alternately: through the
public page (a Flask test-client GET in its own application context, as a server runs each
request: routing, locale, the query, the full Jinja render of the page with its rows, the body
read) and as the bare SQL the page's index serves (psycopg, the same columns, WHERE, ORDER BY and
LIMIT, rows fetched). Outside the timing, every page is checked to list the rows the SQL found.
Two kinds of query: a USCC (exact, index (uscc, id)) and an enterprise name prefix of 5
characters (index (enterprise_name, id) under the C collation). Ratio = the larger of the two
p50(page) / p50(SQL); goal ≤ 2.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time

import psycopg

from bench.common import Result, scratch_databases, sqlalchemy_url, timed
from engine.identifiers import make_uscc

DEFAULT_SIZE = 1_000_000
GOAL = "≤ 2"
QUERIES = 300
WARM_UP = 20
CITIES = ("石家庄", "保定", "唐山", "邯郸", "邢台", "沧州", "廊坊", "衡水", "承德", "张家口", "秦皇岛")
SYLLABLES = "安宝昌诚达丰福广海恒宏华佳嘉金锦京康利隆茂美明鹏瑞盛泰天通万鑫兴旭阳亿永裕源远鸿志中"
KINDS = ("餐饮服务", "商贸", "药房", "加油站", "宾馆", "培训学校", "物流", "食品")
ORGANS = json.dumps(["市场监管局", "消防救援支队", "生态环境局"], ensure_ascii=False)
ITEMS = json.dumps(
    [
        {
            "department": "市场监管局",
            "item_code": "SC-01",
            "item_name": "食品经营许可",
            "result_codes": ["1"],
            "result_names": ["未发现问题"],
        },
        {
            "department": "消防救援支队",
            "item_code": "XF-01",
            "item_name": "消防安全",
            "result_codes": ["1"],
            "result_names": ["未发现问题"],
        },
    ],
    ensure_ascii=False,
)
COLUMNS = (
    "case_id, uscc, enterprise_name, plan_number, plan_name, task_number, task_name, inspection_type,"
    " organs, inspected_on, completed_on, result_text, items, published_at, correction_count"
)
# the columns the page shows (adapters.publication.queries.LISTING_COLUMNS)
SHOWN = "id, enterprise_name, uscc, task_name, organs, completed_on, result_text, correction_count"
USCC_SQL = f"SELECT {SHOWN} FROM published_results WHERE uscc = %s ORDER BY id DESC LIMIT 21"
NAME_SQL = (
    f"SELECT {SHOWN} FROM published_results WHERE enterprise_name >= %s AND enterprise_name < %s"
    " ORDER BY enterprise_name, id LIMIT 21"
)
RESULT_LINK = re.compile(r'href="/public/results/(\d+)"')


def name_of(i: int, rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(3))
    return f"{CITIES[i % len(CITIES)]}{word}{KINDS[i % len(KINDS)]}有限公司"


def uscc_of(i: int) -> str:
    return make_uscc("9", "1", "130100", f"{i // 2:08d}")  # two inspections per enterprise


def load(url: str, size: int) -> tuple[list[str], list[str]]:
    """COPY `size` results in; returns sample USCCs and sample name prefixes."""
    rng = random.Random(2026)
    names: list[str] = []
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY published_results ({COLUMNS}) FROM STDIN") as copy:
            name = ""
            for i in range(size):
                name = name if i % 2 else name_of(i, rng)
                if i % max(1, size // (QUERIES * 2)) == 0:
                    names.append(name)
                copy.write_row(
                    (
                        f"JT-2026-{i // 1000:04d}-{i % 1000:04d}",
                        uscc_of(i),
                        name,
                        "2026-130100",
                        "石家庄市2026年度部门联合抽查计划",
                        f"JT-2026-{i // 1000:04d}",
                        "一业一查联合抽查",
                        "部门联合抽查",
                        ORGANS,
                        "2026-09-15",
                        "2026-09-22",
                        "未发现问题",
                        ITEMS,
                        "2026-09-22T02:00:00+00:00",
                        0,
                    )
                )
        cur.execute("ANALYZE published_results")
    usccs = [uscc_of(rng.randrange(size)) for _ in range(QUERIES + WARM_UP)]
    prefixes = [n[:5] for n in rng.sample(names, min(len(names), QUERIES + WARM_UP))]
    return usccs, prefixes


def _app(url: str, tmp: str):
    from web import create_app
    from web.settings import load_settings

    env = {
        "DATABASE_URL": sqlalchemy_url(url),
        "SECRET_KEY": "bench",
        "LIANCHA_ENV": "testing",
        "LIANCHA_INSTANCE_DIR": tmp,
        "UPLOAD_FOLDER": f"{tmp}/uploads",
        "DEPLOY_PROCESSES_ON_START": "0",
    }
    return create_app({"TESTING": True}, settings=load_settings(env))


def measure(
    client, conn: psycopg.Connection, texts: list[str], sql: str, param
) -> tuple[list[float], list[float], int]:
    """Per query: page time and SQL time (alternating), after a warm-up; rows the SQL found."""
    pages, floors, found = [], [], 0
    for n, text in enumerate(texts):
        start = time.perf_counter()
        response = client.get("/public/results", query_string={"q": text})
        body = response.get_data(as_text=True)
        page = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"/public/results?q={text} answered {response.status_code}")
        start = time.perf_counter()
        rows = conn.execute(sql, param(text)).fetchall()
        floor = time.perf_counter() - start
        if [int(i) for i in RESULT_LINK.findall(body)] != [row[0] for row in rows[:20]]:
            raise RuntimeError(f"/public/results?q={text} does not list the rows the SQL found")
        if n >= WARM_UP:
            pages.append(page)
            floors.append(floor)
            found += len(rows)
    return pages, floors, found


def run(size: int, database_url: str) -> Result:
    from bench.common import migrate

    with (
        tempfile.TemporaryDirectory(prefix="liancha_bench_") as tmp,
        scratch_databases(database_url) as (url,),
    ):
        migrate(url)
        with timed() as loading:
            usccs, prefixes = load(url, size)
        app = _app(url, tmp)
        # no application context around the requests: each request pushes and pops its own
        # (session removed, connection returned to the pool), as under a server
        with psycopg.connect(url, autocommit=True) as conn:
            client = app.test_client()
            by_uscc = measure(client, conn, usccs, USCC_SQL, lambda t: (t,))
            by_name = measure(client, conn, prefixes, NAME_SQL, lambda t: (t, t[:-1] + chr(ord(t[-1]) + 1)))
        with app.app_context():
            from adapters.db import db

            db.engine.dispose()
    ms = {
        k: (statistics.median(v[0]) * 1000, statistics.median(v[1]) * 1000)
        for k, v in (("uscc", by_uscc), ("name", by_name))
    }
    ratios = {k: page / floor for k, (page, floor) in ms.items()}
    correct = by_uscc[2] > 0 and by_name[2] > 0
    print(
        f"loaded {size} rows with COPY in {loading.seconds:.1f} s; p50 ms {ms}; ratios {ratios}",
        file=sys.stderr,
    )
    ratio = max(ratios.values())
    return Result(
        bench="public_search",
        figure=f"{size:,} results: USCC page {ms['uscc'][0]:.2f} ms vs SQL {ms['uscc'][1]:.2f} ms (×{ratios['uscc']:.1f}),"
        f" name prefix page {ms['name'][0]:.2f} ms vs SQL {ms['name'][1]:.2f} ms (×{ratios['name']:.1f}), p50"
        f"{'' if correct else ' — NO ROWS FOUND'}",
        ratio=ratio,
        goal=GOAL,
        ok=correct and ratio <= 2,
    )
