"""The revisit process (processes/revisit): one task for the lead department, due in 20 working
days, and its result."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import ValidationFailed
from tests.unit.process_support import make_engine, only, parsed_model

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _start(engine):
    data = {"case_id": "C-2026-0001", "lead_department": "10", "purpose": "核实疏散通道整改情况"}
    return engine.start(parsed_model("revisit"), data)


def test_revisit__lead_department_records_the_result():
    engine = make_engine()
    with time_machine.travel(datetime(2026, 9, 21, 9, 0, tzinfo=SHANGHAI), tick=False):
        instance = _start(engine)
    task = only(instance.ready_human_tasks(), "revisit_enterprise")
    assert (task.department, task.roles) == ("10", ("officer", "inspector"))
    assert task.form_data == {"purpose": "核实疏散通道整改情况"}
    # 20 working days after Mon 9/21 across 中秋 and 国庆 (see test_process__follow_up): Mon 10/26
    assert task.data["revisit_due"] == "2026-10-26T15:59:59+00:00"
    with pytest.raises(ValidationFailed) as refused:
        instance.complete(task.id, {"visited_on": "2026-10-12", "method": "onsite"})
    assert {"result", "findings"} <= set(refused.value.fields)
    form = {"visited_on": "2026-10-12", "method": "onsite", "result": "rectified", "findings": "通道已畅通"}
    instance.complete(task.id, form)
    assert instance.status == "complete"
    assert instance.data()["revisit_result"] == {
        "visited_on": "2026-10-12",
        "method": "onsite",
        "result": "rectified",
        "findings": "通道已畅通",
    }
