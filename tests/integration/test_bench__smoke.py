"""Every benchmark in bench/ runs once at a tiny size and ends with its one JSON line.

Benchmarks are discovered, so a new module in bench/ is covered without touching this file.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import discover
from tests.conftest import PG_ADMIN_URL, service_missing

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"bench", "figure", "ratio", "goal", "ok"}


@pytest.fixture(scope="module")
def postgres():
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception as err:
        service_missing("PostgreSQL", err)
    return PG_ADMIN_URL


def test_bench__benchmarks_are_discovered():
    assert "import_enterprises" in discover()
    assert "common" not in discover()


@pytest.mark.parametrize("name", discover())
def test_bench__runs_at_a_tiny_size_and_ends_with_a_json_line(name, postgres):
    done = subprocess.run(
        [sys.executable, "-m", "bench", name, "--size", "200", "--database-url", postgres],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-2000:]
    result = json.loads(lines[-1])
    assert set(result) == KEYS and result["bench"] == name
    assert isinstance(result["ratio"], (int, float)) and result["ratio"] > 0
    assert isinstance(result["ok"], bool) and result["goal"]
    assert done.returncode == (0 if result["ok"] else 1)
