"""The result dictionary (结果字典: web/cases/result_codes.py, web/api/result_codes.py) and the
inspection notice of a case (web/cases/notice.py)."""

from __future__ import annotations

from tests.access_rules.core import ANY_ROLE, OFFICE_AND_ADMIN, READERS, Rule

CODE = {"code": "result_code"}
GONE = frozenset({404})
GONE_NOTE = "the first allowed actor deletes the code: for the next ones it is gone (404)"


def rules() -> dict[str, Rule]:
    case_readers = READERS | {"officer", "inspector"}  # department A's people: the world's cases are A's
    edit = {"name": "矩阵结果", "sort_order": "5", "active": "true"}
    return {
        "cases.result_codes": Rule(read=OFFICE_AND_ADMIN),
        "cases.result_code_add": Rule(
            write=OFFICE_AND_ADMIN, data={"code": "Z2", "name": "矩阵新增"}, note="a second add is a 422"
        ),
        "cases.result_code_edit": Rule(
            write=OFFICE_AND_ADMIN, args=CODE, data=edit, passed=GONE, note=GONE_NOTE
        ),
        "cases.result_code_delete": Rule(write=OFFICE_AND_ADMIN, args=CODE, passed=GONE, note=GONE_NOTE),
        "cases.notice": Rule(read=case_readers, owner="dept", args={"instance_id": "case_a"}),
        "cases.notice_pdf": Rule(read=case_readers, owner="dept", args={"instance_id": "case_a"}),
        # API
        "result_codes.list_codes": Rule(read=ANY_ROLE),
        "result_codes.add_code": Rule(
            write=OFFICE_AND_ADMIN, data={"code": "Z3", "name": "矩阵接口"}, note="a second add is a 422"
        ),
        "result_codes.update_code": Rule(
            write=OFFICE_AND_ADMIN, args=CODE, data={"name": "矩阵改名"}, passed=GONE, note=GONE_NOTE
        ),
        "result_codes.delete_code": Rule(write=OFFICE_AND_ADMIN, args=CODE, passed=GONE, note=GONE_NOTE),
    }
