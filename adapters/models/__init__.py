"""SQLAlchemy models. Import from here: `from adapters.models import Enterprise`."""

from adapters.models.audit import AuditEventRow, AuditHead
from adapters.models.calendar import CalendarDay, CalendarYear
from adapters.models.jobs import JobRun
from adapters.models.org import ApiToken, Department, Region, User, UserRole
from adapters.models.registers import (
    Enterprise,
    Expert,
    IndustryJointList,
    InspectionItem,
    Inspector,
    InspectorConflict,
    Tag,
    enterprise_tags,
    inspector_tags,
    joint_list_departments,
    joint_list_items,
)
from adapters.models.workflow import HumanTask, Incident, MessageSubscription, ProcessInstance, ProcessVersion

__all__ = [
    "HumanTask",
    "Incident",
    "MessageSubscription",
    "ProcessInstance",
    "ProcessVersion",
    "CalendarDay",
    "CalendarYear",
    "AuditEventRow",
    "AuditHead",
    "JobRun",
    "ApiToken",
    "Department",
    "Region",
    "User",
    "UserRole",
    "Enterprise",
    "Expert",
    "IndustryJointList",
    "InspectionItem",
    "Inspector",
    "InspectorConflict",
    "Tag",
    "enterprise_tags",
    "inspector_tags",
    "joint_list_departments",
    "joint_list_items",
]
