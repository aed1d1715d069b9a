"""Reading cell values (dates, tags, classes, statuses) and detecting a CSV file's encoding."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from datetime import date

from engine.identifiers import industry_code_problems, normalise_industry_code
from engine.importing.columns import normalise_header

Checked = tuple[object, str | None]  # (value, Chinese problem or None)

RISK_CLASSES = {"A": "A", "B": "B", "C": "C", "D": "D"} | {
    f"{prefix}{word}{suffix}": letter
    for word, letter in (("低", "A"), ("一般", "B"), ("较高", "C"), ("高", "D"))
    for prefix in ("", "信用风险")
    for suffix in ("", "风险")
}
ENTERPRISE_STATUSES = {
    "存续": "active",
    "在业": "active",
    "开业": "active",
    "在营": "active",
    "注销": "deregistered",
    "已注销": "deregistered",
    "吊销": "revoked",
    "吊销,未注销": "revoked",
    "吊销未注销": "revoked",
    "迁出": "moved",
    "已迁出": "moved",
}
INSPECTOR_STATUSES = {"在岗": True, "在职": True, "正常": True, "启用": True, "停用": False, "离岗": False}
_TAG_SPLIT = re.compile(r"[；;、,，]")
_DATE_PARTS = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message is Chinese and shown to the user."""


def detect_encoding(read: Callable[[], Iterable[bytes]]) -> str:
    """The encoding of a CSV file given as byte chunks (`read` returns a fresh iterator).

    A UTF-8 BOM means 'utf-8-sig'; otherwise 'utf-8' when the whole file decodes strictly,
    else 'gb18030' (a superset of GBK). Anything else raises UnreadableFile.
    """
    first = next(iter(read()), b"")
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile("文件为 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入")
    candidates = ("utf-8-sig",) if first.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        if _decodes(read(), encoding):
            return encoding
    raise UnreadableFile(
        "无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030。请另存为“CSV UTF-8（逗号分隔）”或 Excel 文件"
    )


def _decodes(chunks: Iterable[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for chunk in chunks:
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def parse_date(text: str) -> date:
    """2026-03-01, 2026/3/1, 2026.3.1, 20260301 or 2026年3月1日; ValueError otherwise."""
    m = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m[1]), int(m[2]), int(m[3]))


def split_tags(text: str) -> tuple[str, ...]:
    """Tags separated by ；;、,， — trimmed, empty ones dropped, duplicates once, order kept."""
    return tuple(dict.fromkeys(t.strip() for t in _TAG_SPLIT.split(text) if t.strip()))


def check_industry(text: str) -> Checked:
    code = normalise_industry_code(text)
    problems = industry_code_problems(code)
    return code, "；".join(problems) or None


def check_risk_class(text: str) -> Checked:
    if not text:
        return None, None
    risk = RISK_CLASSES.get(text.upper().removesuffix("类"))
    return risk, None if risk else f"信用风险分类无效：{text}（应为 A/B/C/D 或 低/一般/较高/高）"


def check_enterprise_status(text: str) -> Checked:
    if not text:
        return None, None
    status = ENTERPRISE_STATUSES.get(normalise_header(text))
    return status, None if status else f"登记状态无效：{text}（应为 存续/在业/注销/吊销/迁出）"


def check_inspector_status(text: str) -> Checked:
    if not text:
        return None, None
    active = INSPECTOR_STATUSES.get(text)
    return active, None if active is not None else f"状态无效：{text}（应为 在岗/停用）"


def check_tags(text: str) -> Checked:
    """None (keep the stored tags) for an empty cell; each tag at most 64 characters."""
    tags = split_tags(text) if text else ()
    long = [t for t in tags if len(t) > 64]
    return tags or None, f"标签不能超过64个字：{long[0][:16]}…" if long else None


def check_date(text: str, today: date) -> Checked:
    if not text:
        return None, None
    try:
        value = parse_date(text)
    except ValueError:
        return None, f"日期格式无效：{text}（应为 2026-03-01）"
    return value, f"日期不能晚于今天：{text}" if value > today else None
