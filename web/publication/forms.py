"""WTForms of 公示管理 (every POST carries the CSRF token). Shape only: the rules live in
adapters/publication/corrections.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from adapters.publication.names import OUTCOMES
from web.registers.forms import choices

REQUIRED = _l("This field is required.")


def _length(n: int):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class _Reason:
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[DataRequired(REQUIRED), _length(1000)],
        description=_l("Shown to the public together with the correction."),
    )


class ResultCorrectionForm(FlaskForm, _Reason):
    enterprise_name = StringField(_l("Enterprise name"), validators=[DataRequired(REQUIRED), _length(200)])
    uscc = StringField(_l("Unified social credit code"), validators=[DataRequired(REQUIRED), _length(18)])
    completed_on = StringField(
        _l("Completion date"), validators=[DataRequired(REQUIRED), _length(10)], description="2026-10-19"
    )


class FollowUpCorrectionForm(FlaskForm, _Reason):
    problem = TextAreaField(_l("Problem"), validators=[DataRequired(REQUIRED), _length(2000)])
    measures = TextAreaField(_l("Measures taken"), validators=[DataRequired(REQUIRED), _length(4000)])
    outcome = SelectField(
        _l("Outcome"), choices=choices(OUTCOMES.items()), validators=[DataRequired(REQUIRED)]
    )
    outcome_note = TextAreaField(_l("Note on the outcome"), validators=[Optional(), _length(2000)])
    completed_on = StringField(
        _l("Date concluded"), validators=[DataRequired(REQUIRED), _length(10)], description="2026-10-19"
    )
