"""Drawing targets from a register of 1,000,000 enterprises on PostgreSQL, against the bare
count of the same pool.

The register: `size` enterprises in 5 counties and 8 industries, credit risk A 40 % / B 40 % /
C 15 % / D 5 % independent of both, 2 % deregistered, 20,000 of them targets of a joint task
confirmed 60 days ago (the exclusions). The task: 餐饮服务 (industry prefixes 621, 622) in one
county, as a county's 一业一查 task is, so the pool holds about 5 % of the register, in all
4 strata. Measured: `DrawService.draw_targets` — the pool read (one text per risk class), its
sorted snapshot built, the ratio table evaluated, every member ranked by HMAC, k per stratum
taken with the drawn targets' ids and regions. Floor, same run, same session: `SELECT
risk_class, count(*)` with the same filters (what the preview runs). Each is run 5 times after
a warm-up, alternating, and the medians compared: ratio = draw / floor, goal ≤ 1.5. The same draw for the whole city (5
counties, about 25 % of the register) is printed to stderr for comparison, not judged.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
from datetime import date, timedelta

import psycopg

from bench.common import Result, migrate, scratch_databases, sqlalchemy_url, timed
from engine.identifiers import make_uscc

DEFAULT_SIZE = 1_000_000
GOAL = "≤ 1.5"
EXCLUSIONS = 20_000
COUNTIES = ("130102", "130104", "130105", "130108", "130110")
INDUSTRIES = ("6210", "6220", "5265", "5251", "8391", "6110", "5430", "5211")
RISK_BY_PERCENT = "A" * 40 + "B" * 40 + "C" * 15 + "D" * 5
REPEATS = 5


def _rows(size: int):
    for n in range(size):
        digest = hashlib.blake2b(n.to_bytes(8, "big"), digest_size=8).digest()
        county = COUNTIES[digest[0] % len(COUNTIES)]
        industry = INDUSTRIES[digest[1] % len(INDUSTRIES)]
        risk = RISK_BY_PERCENT[int.from_bytes(digest[2:4], "big") % 100]
        status = "deregistered" if digest[4] % 50 == 0 else "active"
        uscc = make_uscc("9", "1", county, f"{(n * 7_919 + 13) % 100_000_000:08d}")
        yield f"{uscc}\t企业{n}\t{industry}\t{county}\t{risk}\t{status}\tf\t2026-01-01\t2026-01-01\n"


def seed(url: str, size: int) -> None:
    """Regions, a department, the register, and a confirmed earlier task with the exclusions."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO regions (code, name, level, active) VALUES ('130100', '石家庄市', 'city', true)"
        )
        for code in COUNTIES:
            conn.execute(
                "INSERT INTO regions (code, name, level, parent_code, active) VALUES (%s, %s, 'county', '130100', true)",
                (code, code),
            )
        conn.execute(
            "INSERT INTO departments (name, level, region_code, active, created_at, updated_at)"
            " VALUES ('市场监管局', 'city', '130100', true, now(), now())"
        )
        columns = "uscc, name, industry_code, region_code, risk_class, status, uscc_override, created_at, updated_at"
        with conn.cursor().copy(f"COPY enterprises ({columns}) FROM STDIN") as copy:
            batch = []
            for line in _rows(size):
                batch.append(line)
                if len(batch) == 10_000:
                    copy.write("".join(batch))
                    batch = []
            copy.write("".join(batch))
        _earlier_task(conn, size)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def _earlier_task(conn, size: int) -> None:
    dept = conn.execute("SELECT id FROM departments").fetchone()[0]
    task = conn.execute(
        "INSERT INTO joint_tasks (number, name, ad_hoc, lead_department_id, industry_codes, region_codes, tag_ids,"
        " exclusion_months, inspectors_per_department, report_days, status, spawn_progress, created_at)"
        " VALUES ('JT-2026-0001', '上一轮', false, %s, '[]', '[]', '[]', 12, 2, 3, 'running', '{}', now())"
        " RETURNING id",
        (dept,),
    ).fetchone()[0]
    draw = conn.execute(
        "INSERT INTO draws (task_id, status, algorithm, commitment, committed_at, filters, ratios, minimums, pool,"
        " result, drawn_at, confirmed_at) VALUES (%s, 'confirmed', 'liancha-draw-v1', %s, now() - interval '60 days',"
        " '{}', '{}', '[]', '{}', '{}', now() - interval '60 days', now() - interval '60 days') RETURNING id",
        (task, "0" * 64),
    ).fetchone()[0]
    count = exclusions(size)
    step = max(1, size // count)
    conn.execute(
        "INSERT INTO task_targets (task_id, enterprise_id, draw_id, rank, inspected_on)"
        " SELECT %s, id, %s, row_number() OVER (ORDER BY id), %s FROM enterprises WHERE id %% %s = 1 LIMIT %s",
        (task, draw, date.today() - timedelta(days=60), step, count),
    )


def exclusions(size: int) -> int:
    """20,000 for a million enterprises (2 %), in proportion below that."""
    return min(EXCLUSIONS, max(1, size // 50))


def _app(url: str, tmp: str):
    from web import create_app
    from web.settings import load_settings

    env = {
        "DATABASE_URL": sqlalchemy_url(url),
        "SECRET_KEY": "bench",
        "LIANCHA_ENV": "testing",
        "LIANCHA_INSTANCE_DIR": tmp,
        "DEPLOY_PROCESSES_ON_START": "0",
    }
    return create_app({"TESTING": True}, settings=load_settings(env))


def _measure(app, counties: tuple[str, ...]) -> tuple[float, float, dict, int, int]:
    from adapters.db import db
    from adapters.draws import ratios
    from adapters.draws.pool import PoolFilters, count_by_risk
    from adapters.draws.service import DrawService
    from engine.draw import derive_seed
    from web.runtime import engine

    service = DrawService(db.session, engine(app))
    filters = PoolFilters(("621", "622"), counties, (), 12, date.today(), task_id=None)
    rules = ratios.current_rules(db.session)
    floors, draws, counts, drawn, pool_size = [], [], {}, 0, 0
    for attempt in range(REPEATS + 1):  # the first round warms caches and is not counted
        seed = derive_seed("JT-2026-0002", f"bench-{attempt}")
        with timed() as floor:
            counts = count_by_risk(db.session, filters)
        db.session.rollback()
        with timed() as measured:
            snapshot, _found, targets, chosen = service.draw_targets(filters, rules, seed)
        db.session.rollback()
        drawn, pool_size = len(chosen), sum(targets.counts.values())
        if attempt:
            floors.append(floor.seconds)
            draws.append(measured.seconds)
        if sum(counts.values()) != pool_size or snapshot.count(b"\n") + 1 != pool_size:
            raise AssertionError(f"the draw's pool ({pool_size}) is not the counted pool ({counts})")
    return statistics.median(floors), statistics.median(draws), counts, pool_size, drawn


def run(size: int, database_url: str) -> Result:
    with (
        tempfile.TemporaryDirectory(prefix="liancha_bench_") as tmp,
        scratch_databases(database_url) as (url,),
    ):
        migrate(url)
        with timed() as seeding:
            seed(url, size)
        print(f"seeded {size} enterprises in {seeding.seconds:.0f} s", file=sys.stderr)
        app = _app(url, tmp)
        with app.app_context():
            from adapters.db import db

            try:
                floor, drawn_s, counts, pool, drawn = _measure(app, COUNTIES[:1])
                city = _measure(app, COUNTIES)
            finally:
                db.session.remove()
                db.engine.dispose()
    ratio = drawn_s / floor
    print(
        f"county: floor {floor:.3f} s, draw {drawn_s:.3f} s, pool {pool} {counts}, drawn {drawn}; "
        f"city: floor {city[0]:.3f} s, draw {city[1]:.3f} s ({city[1] / city[0]:.2f}×), pool {city[3]}, "
        f"drawn {city[4]}",
        file=sys.stderr,
    )
    figure = (
        f"{size:,} enterprises, {exclusions(size):,} exclusions, pool {pool:,} in {len(counts)} strata, "
        f"{drawn:,} drawn: draw {drawn_s * 1000:.0f} ms vs count {floor * 1000:.0f} ms"
        f" (city-wide pool {city[3]:,}: {city[1] / city[0]:.2f}×), load average {os.getloadavg()[0]:.1f}"
    )
    return Result("draw_targets", figure, ratio, GOAL, ratio <= 1.5)
