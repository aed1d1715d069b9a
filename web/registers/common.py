"""What every register page shares: save a form through the write side, (de)activate a row."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from adapters.db import db
from adapters.registers import set_active, transaction
from engine.errors import ValidationFailed
from web.registers.forms import attach_errors


def get_or_404(model, key):
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    return row


def save_form(form: FlaskForm, save: Callable[[], object], done_endpoint: str, **done_args):
    """Run `save` when the posted form is valid; a redirect on success, None to re-render the
    form (with the domain's field errors next to the fields)."""
    if not form.validate_on_submit():
        return None
    try:
        with transaction():
            save()
    except ValidationFailed as err:
        for message in attach_errors(form, err.fields) or ([] if err.fields else [err.message]):
            flash(message, "error")
        return None
    flash(_("Saved."), "success")
    return redirect(url_for(done_endpoint, **done_args))


def toggle(row, active: bool, done_endpoint: str, **done_args):
    """Deactivate or reactivate (a POST with the CSRF token; CSRFProtect checks it)."""
    with transaction():
        set_active(row, active)
    flash(_("Reactivated.") if active else _("Deactivated."), "success")
    return redirect(_back() or url_for(done_endpoint, **done_args))


def actor_id() -> int:
    return current_user.id


def _back() -> str | None:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None
