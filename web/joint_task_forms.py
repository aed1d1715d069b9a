"""The form of 临时发起 (an ad hoc joint task, outside the annual plan) and its choices: the lead
departments the user may open tasks for, the industry joint lists they lead, the departments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from adapters.db import db
from adapters.joint_tasks import REPORT_DAYS_DEFAULT, REPORT_DAYS_MAX
from adapters.models import Department, IndustryJointList, Region, Tag
from web.auth import allowed, current_actor
from web.registers.forms import CheckboxesField

OPEN = "joint_tasks.open"
REQUIRED = _l("This field is required.")


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class AdHocForm(FlaskForm):
    name = StringField(_l("Task name"), validators=[DataRequired(message=REQUIRED), Length(max=128)])
    lead_department_id = SelectField(
        _l("Lead department"), coerce=int, validators=[DataRequired(message=REQUIRED)]
    )
    joint_list_id = SelectField(_l("Industry joint list"), coerce=_optional_int, validators=[Optional()])
    department_ids = CheckboxesField(_l("Joint departments"), coerce=int)
    ad_hoc_reason = TextAreaField(
        _l("Reason for an ad hoc task"), validators=[DataRequired(message=REQUIRED), Length(max=1000)]
    )
    report_days = IntegerField(
        _l("Report within (working days)"),
        default=REPORT_DAYS_DEFAULT,
        validators=[
            DataRequired(message=REQUIRED),
            NumberRange(min=1, max=REPORT_DAYS_MAX, message=_l("Between 1 and 30.")),
        ],
    )
    region_code = SelectField(_l("Targets in region"), validators=[Optional()])
    tag_id = SelectField(_l("Targets with tag"), coerce=_optional_int, validators=[Optional()])
    window_start = DateField(_l("Inspections from"), validators=[Optional()])
    window_end = DateField(_l("Inspections until"), validators=[Optional()])


def lead_departments() -> list[Department]:
    """The departments the user may open a task for: all (the office) or their own."""
    actor = current_actor()
    query = select(Department).where(Department.active.is_(True)).order_by(Department.name)
    if not allowed(OPEN):
        query = query.where(Department.id == (actor.department_id if actor else None))
    return list(db.session.execute(query).scalars())


def fill_choices(form: AdHocForm) -> None:
    leads = lead_departments()
    form.lead_department_id.choices = [(d.id, d.name) for d in leads]
    lists = (
        select(IndustryJointList).where(IndustryJointList.active.is_(True)).order_by(IndustryJointList.name)
    )
    if not allowed(OPEN):
        lists = lists.where(IndustryJointList.lead_department_id.in_([d.id for d in leads]))
    form.joint_list_id.choices = [(None, _l("None (choose the departments below)"))] + [
        (jl.id, f"{jl.name}（{'、'.join(jl.industry_codes or [])}）")
        for jl in db.session.execute(lists).scalars()
    ]
    everyone = db.session.execute(
        select(Department).where(Department.active.is_(True)).order_by(Department.level, Department.name)
    ).scalars()
    form.department_ids.choices = [(d.id, d.name) for d in everyone]
    regions, tags = scope_choices()
    form.region_code.choices = [("", _l("Whole area"))] + regions
    form.tag_id.choices = [(None, _l("Any"))] + tags


def scope_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The regions (city first, then its counties) and enterprise tags a task's pool may be
    narrowed to (联查对象)."""
    regions = db.session.execute(
        select(Region.code, Region.name).where(Region.active.is_(True)).order_by(Region.code)
    ).all()
    tags = db.session.execute(select(Tag.id, Tag.name).where(Tag.active.is_(True)).order_by(Tag.name)).all()
    return [(c, n) for c, n in regions], [(i, n) for i, n in tags]


def form_values(form: AdHocForm) -> dict:
    """The form as `adapters.joint_tasks.spec_ad_hoc` takes it."""
    return {
        "name": form.name.data,
        "lead_department_id": form.lead_department_id.data,
        "joint_list_id": form.joint_list_id.data,
        "department_ids": form.department_ids.data or [],
        "ad_hoc_reason": form.ad_hoc_reason.data,
        "report_days": form.report_days.data,
        "region_code": form.region_code.data or None,
        "tag_id": form.tag_id.data,
        "window_start": form.window_start.data,
        "window_end": form.window_end.data,
    }
