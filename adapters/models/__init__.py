"""SQLAlchemy models. Import from here: `from adapters.models import Enterprise`."""

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

__all__ = [
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
