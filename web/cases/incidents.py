"""Incidents (故障) of the case engine, /admin/incidents: open ones with their case, element,
message and time, and a retry button (office and sysadmin)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.db import db
from adapters.queries import cases as queries
from web.auth import require
from web.cases import bp, present
from web.runtime import who, workflow


@bp.get("/admin/incidents")
@require("cases.admin")
def incidents():
    show_all = request.args.get("all") == "1"
    return render_template(
        "cases/incidents.html",
        rows=queries.incidents(open_only=not show_all),
        show_all=show_all,
        fmt_time=present.fmt_time,
    )


@bp.post("/admin/incidents/<int:incident_id>/retry")
@require("cases.admin")
def retry_incident(incident_id: int):
    row = workflow().retry_incident(incident_id, who())
    db.session.commit()
    if row.status == "error":
        flash(_("Retried, but the case has an incident again; see the message."), "warning")
    else:
        flash(_("Retried: the case continues."), "success")
    return redirect(url_for("cases.incidents"))
