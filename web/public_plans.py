"""信息公示 of annual plans, without login: the published plans, each with its published rows
and its public revision history (dates, reasons, what changed).

Only published revisions are shown: never a draft, an internal review comment or a person's
name. `public/base.html` is the layout of every public page; another public area adds its entry
to `PUBLIC_NAV` (endpoint, label) to appear in the public navigation.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from adapters.db import db
from adapters.models import AnnualPlan, AnnualPlanRevision, Region
from adapters.plans import history
from adapters.plans.columns import COLUMNS
from adapters.plans.rows import department_names, rows_of
from adapters.plans.xlsx import export_xlsx
from web.plans import register_globals
from web.plans.files import xlsx_response
from web.runtime import workflow

bp = Blueprint("public_plans", __name__, url_prefix="/public/plans")
PUBLIC_NAV: list[tuple[str, object]] = [
    ("public_plans.index", _l("Annual inspection plans")),
    ("public_results.search", _l("Inspection results")),  # web/publication
    ("public_records.follow_ups", _l("Follow-up outcomes")),
]


def public_navigation() -> list[dict]:
    out = []
    for endpoint, label in PUBLIC_NAV:
        try:
            out.append({"endpoint": endpoint, "url": url_for(endpoint), "label": label})
        except Exception:  # noqa: S112 - an area not registered in this app is simply absent
            continue
    return out


@bp.get("", endpoint="index")
def index():
    raw_year = request.args.get("year", "")
    query = (
        select(AnnualPlan, AnnualPlanRevision)
        .join(AnnualPlanRevision, AnnualPlanRevision.id == AnnualPlan.published_revision_id)
        .order_by(AnnualPlan.year.desc(), AnnualPlan.region_code)
    )
    if raw_year.isdigit():
        query = query.where(AnnualPlan.year == int(raw_year))
    items = db.session.execute(query.limit(500)).all()
    years = sorted(
        {
            y
            for (y,) in db.session.execute(
                select(AnnualPlan.year).where(AnnualPlan.published_revision_id.is_not(None))
            )
        },
        reverse=True,
    )
    regions = dict(db.session.execute(select(Region.code, Region.name)).all())
    return render_template("public/plans.html", items=items, years=years, year=raw_year, regions=regions)


@bp.get("/<int:plan_id>", endpoint="plan")
def plan(plan_id: int):
    found, revision = _published(plan_id)
    names = department_names()
    return render_template(
        "public/plan.html",
        plan=found,
        revision=revision,
        region=db.session.get(Region, found.region_code),
        rows=rows_of(revision),
        names=names,
        columns=COLUMNS,
        entries=history.history(workflow(), found, public=True),
    )


@bp.get("/<int:plan_id>/export.xlsx", endpoint="export")
def export(plan_id: int):
    found, revision = _published(plan_id)
    return xlsx_response(export_xlsx(found, revision, department_names()), f"{found.title}.xlsx")


def _published(plan_id: int) -> tuple[AnnualPlan, AnnualPlanRevision]:
    found = db.session.get(AnnualPlan, plan_id)
    if found is None or found.published_revision_id is None:
        abort(404)
    return found, db.session.get(AnnualPlanRevision, found.published_revision_id)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_globals(app)

    @app.context_processor
    def _public_nav():
        return {"public_nav": public_navigation}
