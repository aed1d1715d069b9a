"""The registers: 一单 (inspection items, industry joint lists) and 两库 (enterprises, inspectors),
plus experts and shared tags. Nothing referenced is ever hard-deleted: rows are deactivated."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adapters.db import db
from adapters.models.base import Timestamps, utcnow

RISK_CLASSES = ("A", "B", "C", "D")
ENTERPRISE_STATUSES = ("active", "deregistered", "revoked", "moved")
ITEM_CATEGORIES = ("general", "key")

enterprise_tags = Table(
    "enterprise_tags",
    db.metadata,
    Column("enterprise_id", ForeignKey("enterprises.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
inspector_tags = Table(
    "inspector_tags",
    db.metadata,
    Column("inspector_id", ForeignKey("inspectors.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True, index=True),
)
joint_list_departments = Table(
    "joint_list_departments",
    db.metadata,
    Column("joint_list_id", ForeignKey("industry_joint_lists.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)
joint_list_items = Table(
    "joint_list_items",
    db.metadata,
    Column("joint_list_id", ForeignKey("industry_joint_lists.id"), primary_key=True),
    Column("item_id", ForeignKey("inspection_items.id"), primary_key=True),
)


class Tag(Timestamps, db.Model):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InspectionItem(Timestamps, db.Model):
    """抽查事项: one checkable matter owned by a department."""

    __tablename__ = "inspection_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(8), default="general")  # general | key
    fields: Mapped[str | None] = mapped_column(String(128))  # 执法领域 the item needs
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department = relationship("Department")


class IndustryJointList(Timestamps, db.Model):
    """ "一业一查"抽查事项清单: one industry, its lead and cooperating departments and their items."""

    __tablename__ = "industry_joint_lists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    industry_codes: Mapped[list] = mapped_column(JSON, default=list)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    frequency_per_year: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    lead_department = relationship("Department")
    departments = relationship("Department", secondary=joint_list_departments)
    items = relationship("InspectionItem", secondary=joint_list_items)


class Enterprise(Timestamps, db.Model):
    """检查对象名录库 entry. `uscc_override` records an accepted nonconforming code."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    industry_code: Mapped[str] = mapped_column(String(4))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    address: Mapped[str | None] = mapped_column(String(256))
    legal_representative: Mapped[str | None] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(64))
    risk_class: Mapped[str] = mapped_column(String(1), default="B")
    status: Mapped[str] = mapped_column(String(16), default="active")
    last_inspected_on: Mapped[date | None] = mapped_column(Date)
    uscc_override: Mapped[bool] = mapped_column(Boolean, default=False)
    uscc_override_reason: Mapped[str | None] = mapped_column(String(256))
    uscc_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uscc_override_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    region = relationship("Region")
    tags = relationship("Tag", secondary=enterprise_tags, lazy="selectin")

    __table_args__ = (
        # varchar_pattern_ops lets PostgreSQL serve name prefix search (LIKE 'x%') in any collation
        Index("ix_enterprises_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        Index("ix_enterprises_status_industry", "status", "industry_code", "id"),
        Index("ix_enterprises_region_id", "region_code", "id"),
        Index("ix_enterprises_risk_id", "risk_class", "id"),
    )


class Inspector(Timestamps, db.Model):
    """执法检查人员名录库 entry."""

    __tablename__ = "inspectors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cert_no: Mapped[str] = mapped_column(String(32), unique=True)  # 执法证号
    name: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    fields: Mapped[str | None] = mapped_column(String(128))  # 执法领域
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    phone: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department = relationship("Department")
    tags = relationship("Tag", secondary=inspector_tags, lazy="selectin")
    conflicts = relationship("InspectorConflict", back_populates="inspector", lazy="selectin")


class InspectorConflict(db.Model):
    """A declared relationship (回避) between an inspector and an enterprise."""

    __tablename__ = "inspector_conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    reason: Mapped[str] = mapped_column(String(256))
    declared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    inspector = relationship("Inspector", back_populates="conflicts")
    enterprise = relationship("Enterprise")
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id", name="uq_conflict_pair"),)


class Expert(Timestamps, db.Model):
    """专家库: assists only, never an inspecting party."""

    __tablename__ = "experts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    specialty: Mapped[str | None] = mapped_column(String(128))
    organisation: Mapped[str | None] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department = relationship("Department")
