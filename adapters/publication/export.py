"""Published results in the field layout of the national enterprise credit publicity system
(国家企业信用信息公示系统, 抽查检查结果信息: 统一社会信用代码, 企业名称, 检查实施机关, 类型, 日期,
结果), with the 双随机 plan and task fields and the item results. CSV (UTF-8 with BOM, so that
spreadsheet programs read the Chinese) and JSON, both streamed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from adapters.models import PublishedResult

COLUMNS = (
    "统一社会信用代码",
    "企业名称",
    "抽查计划编号",
    "抽查计划名称",
    "抽查任务编号",
    "抽查任务名称",
    "检查实施机关",
    "类型",
    "日期",
    "结果",
    "检查事项及结果",
    "公示日期",
    "更正次数",
)
ITEM_KEYS = ("检查实施机关", "检查事项", "检查结果")


def record(row: PublishedResult) -> dict:
    """One result as the national layout's fields (the items as a list)."""
    return {
        "统一社会信用代码": row.uscc,
        "企业名称": row.enterprise_name,
        "抽查计划编号": row.plan_number or "",
        "抽查计划名称": row.plan_name or "",
        "抽查任务编号": row.task_number or "",
        "抽查任务名称": row.task_name or "",
        "检查实施机关": "、".join(row.organs or []),
        "类型": row.inspection_type,
        "日期": row.completed_on.isoformat(),
        "结果": row.result_text,
        "检查事项及结果": [
            dict(zip(ITEM_KEYS, (i["department"], i["item_name"], "、".join(i["result_names"])), strict=True))
            for i in row.items or []
        ],
        "公示日期": row.published_at.date().isoformat() if row.published_at else "",
        "更正次数": row.correction_count or 0,
    }


def items_text(items: list[dict]) -> str:
    return "；".join(f"{i['检查事项']}：{i['检查结果']}" for i in items)


def csv_lines(rows: Iterable[PublishedResult]) -> Iterator[str]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(COLUMNS)
    yield "\ufeff" + _drain(buffer)
    for n, row in enumerate(rows, 1):
        fields = record(row)
        fields["检查事项及结果"] = items_text(fields["检查事项及结果"])
        out.writerow([fields[c] for c in COLUMNS])
        if n % 200 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def json_chunks(rows: Iterable[PublishedResult]) -> Iterator[str]:
    """{"fields": [...], "items": [...]} written a row at a time."""
    yield '{"fields": ' + json.dumps(list(COLUMNS), ensure_ascii=False) + ', "items": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(record(row), ensure_ascii=False)
    yield "\n]}\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
