"""SQLAlchemy models. Import from here: `from adapters.models import Enterprise`."""

from adapters.models.audit import AuditEventRow, AuditHead
from adapters.models.calendar import CalendarDay, CalendarYear
from adapters.models.draw_rules import DrawRuleVersion
from adapters.models.jobs import JobRun
from adapters.models.notifications import MailOutbox, Notification
from adapters.models.org import ApiToken, Department, Region, User, UserRole
from adapters.models.plans import (
    AnnualPlan,
    AnnualPlanRevision,
    AnnualPlanRow,
    Draw,
    InspectorAssignment,
    JointTask,
    JointTaskDepartment,
    TaskTarget,
)
from adapters.models.publication import PublicationCorrection, PublishedFollowUp, PublishedResult
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
from adapters.models.results import ResultCode
from adapters.models.workflow import HumanTask, Incident, MessageSubscription, ProcessInstance, ProcessVersion

__all__ = [
    "AnnualPlan",
    "AnnualPlanRevision",
    "AnnualPlanRow",
    "Draw",
    "DrawRuleVersion",
    "InspectorAssignment",
    "JointTask",
    "JointTaskDepartment",
    "TaskTarget",
    "PublicationCorrection",
    "PublishedFollowUp",
    "PublishedResult",
    "ResultCode",
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
    "MailOutbox",
    "Notification",
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
