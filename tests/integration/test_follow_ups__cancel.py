"""A follow-up cancelled by an administrator still reports back (status cancelled): the case it
belongs to is not left waiting for it forever."""

from __future__ import annotations

import time_machine

from adapters.db import db
from adapters.models import ProcessInstance
from tests.integration.cases_support import who
from tests.integration.test_follow_ups__lifecycle import (  # noqa: F401 - the `w` fixture
    ACCEPT_DAY,
    HANDLING,
    _complete,
    _follow_ups,
    _form_data,
    _only,
    w,
)
from web.runtime import workflow


def test_follow_up_cancelled_by_an_admin_reports_back_and_the_case_can_close(app, w):  # noqa: F811
    case = w["case"]
    fire_fu, health_fu = _follow_ups(case)
    with time_machine.travel(ACCEPT_DAY, tick=False):
        transfer = _only(fire_fu.id, "transfer")
        _complete(transfer, w["lead_officer"], _form_data(transfer))
        _complete(_only(fire_fu.id, "accept"), w["fire_officer"], {"decision": "accept"})
        _complete(_only(fire_fu.id, "record_measures"), w["fire_inspector"], HANDLING)
        assert not [t for t in _ready_of(case.id) if t.element_id == "close"]  # health still open

        workflow().cancel(health_fu.id, who(w["office"]), "重复移送，撤销")
        db.session.commit()  # the report is routed after the commit (in-process queue)

    db.session.expire_all()
    assert db.session.get(ProcessInstance, health_fu.id).status == "cancelled"
    close = _only(case.id, "close")
    data = workflow().load(db.session.get(ProcessInstance, case.id)).human_task(close.task_uuid).data
    reports = {r["follow_up_id"]: r for r in data["follow_up_reports"]}
    assert reports["C-2026-0001-2"]["status"] == "cancelled"
    assert reports["C-2026-0001-2"]["reason"] == "重复移送，撤销"
    _complete(close, w["lead_officer"], {"conclusion": "结案"})
    assert db.session.get(ProcessInstance, case.id).status == "complete"


def _ready_of(instance_id):
    from tests.integration.cases_support import ready

    return ready(instance_id)
