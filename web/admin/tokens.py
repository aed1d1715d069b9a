"""Admin pages of API tokens: create one for a user (the plain token is shown once), list, revoke."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from adapters.models import ApiToken
from adapters.queries import org as q
from engine.errors import ValidationFailed
from web.admin import bp
from web.admin.forms import TokenForm, apply_errors
from web.admin.services import create_token, get_or_404, revoke_token
from web.auth import require


@bp.get("/tokens")
@require("admin.manage")
def tokens():
    show_revoked = request.args.get("revoked") == "1"
    return render_template(
        "admin/tokens.html", rows=q.tokens(include_revoked=show_revoked), show_revoked=show_revoked
    )


@bp.route("/tokens/new", methods=["GET", "POST"])
@require("admin.manage")
def token_new():
    form = TokenForm()
    if request.method == "GET" and request.args.get("user_id", type=int):
        form.user_id.data = request.args.get("user_id", type=int)
    form.user_id.choices = q.user_choices()
    if form.validate_on_submit():
        try:
            token, plain = create_token(form.user_id.data, form.name.data, current_user)
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            resp = make_response(
                render_template(
                    "admin/secret_once.html",
                    title=_("API token %(name)s for %(user)s", name=token.name, user=token.user.username),
                    secret=plain,
                    note=_(
                        "Copy the token now: only its fingerprint is stored and it will not be shown again. "
                        "Clients send it as the header Authorization: Bearer <token>."
                    ),
                    back=url_for("admin.tokens"),
                )
            )
            resp.headers["Cache-Control"] = "no-store"
            return resp
    return render_template("admin/token_form.html", form=form)


@bp.post("/tokens/<int:token_id>/revoke")
@require("admin.manage")
def token_revoke(token_id: int):
    token = revoke_token(get_or_404(ApiToken, token_id, "令牌"))
    flash(_("Token %(prefix)s… revoked.", prefix=token.prefix), "success")
    return redirect(url_for("admin.tokens"))
