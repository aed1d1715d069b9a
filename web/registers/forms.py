"""WTForms of the register pages (Flask-WTF: every POST carries the CSRF token).

Forms check shape (required, length, choice); the domain checks live in `adapters.registers`,
whose field errors `attach_errors` puts next to the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from adapters.models.registers import ENTERPRISE_STATUSES, ITEM_CATEGORIES, RISK_CLASSES

REQUIRED = _l("This field is required.")

STATUS_LABELS = {
    "active": _l("In business"),
    "deregistered": _l("Deregistered"),
    "revoked": _l("Licence revoked"),
    "moved": _l("Moved out"),
}
CATEGORY_LABELS = {"general": _l("General"), "key": _l("Key")}


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def required():
    return DataRequired(message=REQUIRED)


def length(max_len: int):
    return Length(max=max_len, message=_l("At most %(max)d characters.", max=max_len))


class CheckboxesField(SelectMultipleField):
    """A multi-select shown as checkboxes: usable on a phone, unlike <select multiple>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagForm(FlaskForm):
    name = StringField(_l("Tag name"), validators=[required(), length(64)])
    description = StringField(_l("Description"), validators=[Optional(), length(256)])


class ItemForm(FlaskForm):
    code = StringField(_l("Item code"), validators=[required(), length(32)])
    name = StringField(_l("Item name"), validators=[required(), length(128)])
    department_id = SelectField(_l("Owning department"), coerce=int, validators=[required()])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional()])
    method = StringField(_l("Inspection method"), validators=[Optional(), length(128)])
    category = SelectField(
        _l("Category"),
        choices=choices((c, CATEGORY_LABELS[c]) for c in ITEM_CATEGORIES),
        validators=[required()],
    )
    fields = StringField(_l("Enforcement fields"), validators=[Optional(), length(128)])


class JointListForm(FlaskForm):
    name = StringField(_l("Industry"), validators=[required(), length(64)])
    industry_codes = StringField(
        _l("Industry codes (GB/T 4754)"),
        validators=[required(), length(200)],
        description=_l("e.g. 621, 622"),
    )
    lead_department_id = SelectField(_l("Lead department"), coerce=int, validators=[required()])
    cooperating_department_ids = CheckboxesField(_l("Cooperating departments"), coerce=int)
    item_ids = CheckboxesField(_l("Inspection items"), coerce=int)
    frequency_per_year = IntegerField(
        _l("Inspections per year"),
        default=1,
        validators=[required(), NumberRange(min=1, max=12, message=_l("Between 1 and 12."))],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional()])


class EnterpriseForm(FlaskForm):
    name = StringField(_l("Enterprise name"), validators=[required(), length(128)])
    uscc = StringField(_l("Unified social credit code"), validators=[required(), length(18)])
    uscc_override = BooleanField(
        _l("Accept this code although its check character is wrong (early pilot code)")
    )
    uscc_override_reason = StringField(
        _l("Reason for accepting the code"), validators=[Optional(), length(256)]
    )
    industry_code = StringField(_l("Industry code (GB/T 4754)"), validators=[required(), length(5)])
    region_code = SelectField(_l("Region"), validators=[required()])
    address = StringField(_l("Address"), validators=[Optional(), length(256)])
    legal_representative = StringField(_l("Legal representative"), validators=[Optional(), length(64)])
    contact = StringField(_l("Contact"), validators=[Optional(), length(64)])
    risk_class = SelectField(
        _l("Credit risk class"), choices=choices((c, c) for c in RISK_CLASSES), default="B"
    )
    status = SelectField(
        _l("Registration status"),
        choices=choices((s, STATUS_LABELS[s]) for s in ENTERPRISE_STATUSES),
        default="active",
    )
    tag_ids = CheckboxesField(_l("Tags"), coerce=int)
    last_inspected_on = DateField(_l("Last inspected on"), validators=[Optional()])


class InspectorForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[required(), length(64)])
    cert_no = StringField(_l("Enforcement certificate number"), validators=[required(), length(32)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[required()])
    fields = StringField(_l("Enforcement fields"), validators=[Optional(), length(128)])
    region_code = SelectField(_l("Region"), validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional(), length(32)])
    tag_ids = CheckboxesField(_l("Tags"), coerce=int)


class ConflictForm(FlaskForm):
    uscc = StringField(_l("Unified social credit code"), validators=[required(), length(18)])
    reason = StringField(_l("Reason for recusal"), validators=[required(), length(256)])


class ExpertForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[required(), length(64)])
    specialty = StringField(_l("Specialty"), validators=[Optional(), length(128)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), length(128)])
    phone = StringField(_l("Phone"), validators=[Optional(), length(32)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])


def form_data(form: FlaskForm, *, skip: tuple[str, ...] = ()) -> dict:
    """The form's values as the write-side functions take them (no CSRF token)."""
    return {k: (None if v == "" else v) for k, v in form.data.items() if k != "csrf_token" and k not in skip}


def attach_errors(form: FlaskForm, fields_errors: dict[str, str]) -> list[str]:
    """Put domain field errors next to their fields; return those that match no field."""
    loose = []
    for name, message in fields_errors.items():
        target = getattr(form, name, None)
        if target is None or not hasattr(target, "errors"):
            loose.append(message)
        else:
            target.errors = [*target.errors, message]
    return loose
