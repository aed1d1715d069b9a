"""WTForms of the plan pages (every POST carries the CSRF token). Shape only; the rules live in
`adapters.plans`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from web.registers.forms import CheckboxesField, choices

REQUIRED = _l("This field is required.")


def _length(n: int):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class PlanForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            DataRequired(REQUIRED),
            NumberRange(2000, 2100, _l("Enter a year between 2000 and 2100.")),
        ],
    )
    region_code = SelectField(_l("Region"), validators=[DataRequired(REQUIRED)])
    title = StringField(
        _l("Plan title"),
        validators=[Optional(), _length(128)],
        description=_l("Leave empty for the standard title."),
    )
    lead_department_ids = CheckboxesField(_l("Lead departments that draft rows"), coerce=int)
    from_joint_lists = BooleanField(_l("Start with one row per industry joint list"))


class RowForm(FlaskForm):
    seq = IntegerField(_l("Serial no."), validators=[Optional(), NumberRange(1, 10000)])
    industry = StringField(_l("Industry"), validators=[DataRequired(REQUIRED), _length(64)])
    industry_codes = StringField(
        _l("Industry codes (GB/T 4754)"),
        validators=[Optional(), _length(400)],
        description=_l("e.g. 621, 622"),
    )
    lead_department_id = SelectField(_l("Lead department"), coerce=int, validators=[DataRequired(REQUIRED)])
    task_name = StringField(_l("Task name"), validators=[DataRequired(REQUIRED), _length(128)])
    department_ids = CheckboxesField(_l("Joint departments"), coerce=int)
    items = TextAreaField(_l("Items inspected"), validators=[Optional(), _length(2000)])
    target_scope = TextAreaField(_l("Joint targets"), validators=[Optional(), _length(2000)])
    subject = StringField(_l("Inspecting body"), validators=[Optional(), _length(128)])
    duties = TextAreaField(_l("Division of duties"), validators=[Optional(), _length(2000)])
    ratio = StringField(_l("Sampling ratio"), validators=[Optional(), _length(64)])
    schedule = StringField(_l("Schedule"), validators=[Optional(), _length(64)])
    notes = TextAreaField(_l("Remarks"), validators=[Optional(), _length(2000)])
    joint_list_id = SelectField(_l("Industry joint list"), coerce=str, validators=[Optional()])


class SubmitForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), _length(1000)])


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Review decision"),
        choices=choices([("approve", _l("Approve")), ("return", _l("Return for changes"))]),
        validators=[DataRequired(REQUIRED)],
    )
    return_departments = CheckboxesField(
        _l("Return to"), coerce=int, description=_l("None chosen: all lead departments.")
    )
    reason = TextAreaField(
        _l("Review comment / reason for returning"), validators=[Optional(), _length(2000)]
    )


class PublishForm(FlaskForm):
    note = TextAreaField(_l("Publication note"), validators=[Optional(), _length(1000)])


class AdjustForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the adjustment"), validators=[DataRequired(REQUIRED), _length(2000)]
    )
    lead_department_ids = CheckboxesField(_l("Lead departments that revise their rows"), coerce=int)


class ImportForm(FlaskForm):
    file = FileField(
        _l("File (XLSX or CSV)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx", "csv"], _l("Only XLSX and CSV files can be imported.")),
        ],
    )
