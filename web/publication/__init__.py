"""一公开 pages: the public results, enterprise histories, follow-up outcomes and exports under
/public (no login), and the office's 公示管理 under /publication (list, corrections)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from web.publication import manage, public

FIELD_LABELS = {
    "enterprise_name": _l("Enterprise name"),
    "uscc": _l("Unified social credit code"),
    "completed_on": _l("Completion date"),
    "problem": _l("Problem"),
    "measures": _l("Measures taken"),
    "outcome": _l("Outcome"),
    "outcome_note": _l("Note on the outcome"),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(public.bp)
    app.register_blueprint(public.records_bp)
    app.register_blueprint(manage.bp)
    app.jinja_env.globals["pub_date"] = public.local_date
    app.jinja_env.globals["correction_field_label"] = lambda field: FIELD_LABELS.get(field, field)
