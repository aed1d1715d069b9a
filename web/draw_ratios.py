"""抽查比例表: the office's DMN decision table (credit risk class → ratio) and the minimum
rules, shown to every reader of draws and edited by the office. A new version is saved only
after it was evaluated for every risk class (adapters/draws/ratios.py)."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from adapters.db import db
from adapters.draws import ratios
from adapters.models import DrawRuleVersion
from engine.errors import ValidationFailed
from web.auth import allowed, require
from web.draws import bp
from web.runtime import engine

_RULE = re.compile(r"^\s*(\d+)\s*[,，]\s*(\d+)\s*$")


class RatiosForm(FlaskForm):
    dmn = TextAreaField(_l("Decision table (DMN XML)"), validators=[DataRequired(), Length(max=200_000)])
    minimums = TextAreaField(_l("Minimum rules"), validators=[Optional(), Length(max=2000)])
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=256)])


def parse_minimums(text: str) -> list[list[int]]:
    """Lines 'pool at most, at least' (e.g. '10, 2')."""
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = _RULE.match(line)
        if not found:
            raise ValidationFailed(
                "最低抽取数规则格式错误", {"minimums": f"第{number}行应为“池数量上限, 最少抽取数”"}
            )
        out.append([int(found.group(1)), int(found.group(2))])
    return out


@bp.route("/ratios", methods=["GET", "POST"], endpoint="ratios")
@require("draws.read")
def ratios_page():
    rules = ratios.current_rules(db.session)
    may_edit = allowed("draws.rules")
    form = RatiosForm(
        data={"dmn": rules.dmn, "minimums": "\n".join(f"{a}, {b}" for a, b in rules.minimums_json())}
    )
    if form.is_submitted():
        if not may_edit:
            return render_template(
                "error.html", status=403, message=_("You may not change the ratio table.")
            ), 403
        if form.validate():
            try:
                ratios.save_rules(
                    db.session,
                    engine(),
                    form.dmn.data,
                    parse_minimums(form.minimums.data),
                    form.comment.data,
                    current_user.id,
                )
                db.session.commit()
            except ValidationFailed as err:
                db.session.rollback()
                for name, message in err.fields.items():
                    getattr(form, name, form.dmn).errors.append(message)
                flash(err.message, "error")
            else:
                flash(_("A new version of the ratio table is in force."), "success")
                return redirect(url_for("draws.ratios"))
    history = db.session.execute(
        select(DrawRuleVersion).order_by(DrawRuleVersion.version.desc()).limit(20)
    ).scalars()
    return render_template(
        "draws/ratios.html",
        rules=rules,
        evaluated=ratios.evaluate(engine(), rules, {}),
        form=form,
        may_edit=may_edit,
        history=list(history),
    )
