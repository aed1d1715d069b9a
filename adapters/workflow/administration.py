"""Administrative actions on instances: cancel, suspend, resume, retry an incident (part of
WorkflowService). Each locks the instance row, records an `admin_action` with who did it and why,
and saves; an incident resolved by a retry names who resolved it."""

from __future__ import annotations

from adapters.models.workflow import Incident, ProcessInstance
from adapters.workflow.cancel_hooks import ON_CANCEL
from adapters.workflow.rows import ACTIVE
from adapters.workflow.who import Who
from engine.errors import Conflict, NotFound


class Administration:
    """cancel / suspend / resume / retry_incident (mixed into WorkflowService)."""

    def cancel(self, instance_id: int, who: Who, reason: str) -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status in ("complete", "cancelled"):
            raise Conflict("案件已结束，不能撤销")
        instance = self.load(row)
        instance.cancel()
        self._audit(row, "admin_action", who, {"action": "cancel", "reason": reason})
        self._persist(row, instance, who, status="cancelled")
        hook = ON_CANCEL.get(row.model_id)
        if hook is not None:
            hook(self, row, instance, reason)
        return row

    def suspend(self, instance_id: int, who: Who, reason: str) -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status not in ACTIVE:
            raise Conflict("只有办理中的案件可以挂起")
        row.status = "suspended"
        self._audit(row, "admin_action", who, {"action": "suspend", "reason": reason})
        self._write_audit(row)
        self._flush()
        return row

    def resume(self, instance_id: int, who: Who, reason: str = "") -> ProcessInstance:
        row = self.instance_row(instance_id, lock=True)
        if row.status != "suspended":
            raise Conflict("案件未挂起")
        instance = self.load(row)
        self._audit(row, "admin_action", who, {"action": "resume", "reason": reason})
        self._persist(row, instance, who, status=instance.status)
        return row

    def retry_incident(self, incident_id: int, who: Who) -> ProcessInstance:
        """Run the failed task again. The incident row is resolved by `who` when the task no
        longer fails; failing again keeps it open with the new message."""
        incident = self.session.get(Incident, incident_id, populate_existing=True)
        if incident is None or incident.resolved_at is not None:
            raise NotFound("故障不存在或已处理")
        row = self.instance_row(incident.instance_id, lock=True)
        self.session.refresh(incident)  # another admin may have retried it while we waited
        if incident.resolved_at is not None:
            raise Conflict("该故障已由他人处理")
        instance = self.load(row)
        instance.retry(incident.task_uuid)
        self._audit(
            row,
            "admin_action",
            who,
            {"action": "retry", "element": incident.element_id, "incident": incident.id},
        )
        self._persist(row, instance, who)
        messages = {i.task_id: i.message for i in instance.incidents()}
        if incident.task_uuid in messages:
            incident.message = messages[incident.task_uuid]
        return row
