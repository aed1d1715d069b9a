"""Admin pages of administrative divisions (GB/T 2260): each city with its counties/districts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from adapters.models import Region
from adapters.queries import org as q
from engine.errors import ValidationFailed
from web.admin import bp
from web.admin.forms import RegionForm, apply_errors
from web.admin.services import create_region, get_or_404, update_region
from web.auth import require


@bp.get("/regions")
@require("admin.manage")
def regions():
    return render_template("admin/regions.html", tree=q.region_tree())


@bp.route("/regions/new", methods=["GET", "POST"])
@require("admin.manage")
def region_new():
    form = RegionForm()
    if request.method == "GET" and request.args.get("parent"):
        form.level.data, form.parent_code.data = "county", request.args["parent"]
    _parent_choices(form)
    if form.validate_on_submit():
        try:
            region = create_region(form.values(is_new=True))
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            flash(_("Division %(code)s %(name)s saved.", code=region.code, name=region.name), "success")
            return redirect(url_for("admin.regions"))
    return render_template("admin/region_form.html", form=form, region=None)


@bp.route("/regions/<code>/edit", methods=["GET", "POST"])
@require("admin.manage")
def region_edit(code: str):
    region = get_or_404(Region, code, "行政区划")
    form = RegionForm(obj=region if request.method == "GET" else None)
    del form.code, form.level  # a region's identity does not change
    _parent_choices(form, include=region.parent_code)
    if form.validate_on_submit():
        try:
            update_region(region, form.values(is_new=False))
        except ValidationFailed as err:
            apply_errors(form, err.fields)
        else:
            flash(_("Division %(code)s %(name)s saved.", code=region.code, name=region.name), "success")
            return redirect(url_for("admin.regions"))
    return render_template("admin/region_form.html", form=form, region=region)


def _parent_choices(form: RegionForm, include: str | None = None) -> None:
    form.parent_code.choices = [("", _("(none — a city)"))] + q.region_choices(level="city", include=include)
