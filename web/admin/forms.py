"""Forms of the admin pages. Business validation lives in `web.admin.services`; the forms only
parse, and `apply_errors` puts the services' per-field messages next to the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from engine.access import ROLES
from web.admin import LEVEL_LABELS, ROLE_LABELS

NONE = 0  # the "no department / no parent" choice of an integer select


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=64)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=128)])
    department_id = SelectField(_l("Department"), coerce=int, validate_choice=False)
    roles = CheckboxesField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES])
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=128)])

    def values(self, is_new: bool) -> dict:
        data = {
            "display_name": self.display_name.data,
            "email": self.email.data,
            "department_id": _int_or_none(self.department_id.data),
            "roles": list(self.roles.data or []),
        }
        if is_new:
            data["username"] = self.username.data
            data["password"] = self.password.data or ""
        return data


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[Optional(), Length(max=128)])
    generate = BooleanField(_l("Generate a password for me"))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=32)])
    level = SelectField(_l("Level"), choices=[(k, v) for k, v in LEVEL_LABELS.items()])
    region_code = SelectField(_l("Administrative division"), validate_choice=False)
    parent_id = SelectField(_l("Parent department"), coerce=int, validate_choice=False)

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "short_name": self.short_name.data,
            "level": self.level.data,
            "region_code": self.region_code.data,
            "parent_id": _int_or_none(self.parent_id.data),
        }


class RegionForm(FlaskForm):
    code = StringField(_l("Code (GB/T 2260)"), validators=[Optional(), Length(max=6)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    level = SelectField(_l("Level"), choices=[(k, v) for k, v in LEVEL_LABELS.items()])
    parent_code = SelectField(_l("City"), validate_choice=False)
    active = BooleanField(_l("In use"), default=True)

    def values(self, is_new: bool) -> dict:
        data = {"name": self.name.data, "parent_code": self.parent_code.data or None}
        if is_new:
            data.update(code=self.code.data, level=self.level.data)
        else:
            data["active"] = self.active.data
        return data


class TokenForm(FlaskForm):
    user_id = SelectField(_l("User"), coerce=int, validate_choice=False)
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=64)])


def apply_errors(form: FlaskForm, fields: dict[str, str]) -> None:
    """Show the services' messages on the form; a message without a field goes to `form.form_errors`."""
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            form.form_errors.append(message)
