"""System administration of the working-day calendar (工作日历).

The built-in official years are shown read-only. Further years are entered as text lines
(`2027-01-01 元旦`, `2027-02-07 调休上班`), checked line by line, and count for deadlines only
once marked complete. The index page also lets the administrator try a deadline out.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField

from adapters.calendar_store import admin_year, builtin_year, load_working_calendar, save_year, year_overview
from adapters.db import db
from engine.calendar import DEFAULT_TZ, CalendarUnavailable, YearCalendar
from engine.calendar_lines import LineError, format_year_lines, parse_year_lines
from engine.errors import Conflict, ValidationFailed
from web.auth import require

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")
FIRST_YEAR, LAST_YEAR = 2000, 2100
WEEKDAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


class YearForm(FlaskForm):
    lines = TextAreaField(_l("Holidays and make-up working days, one per line"))
    complete = BooleanField(_l("This year is complete: use it for deadlines"))


def working_days_left(n: int) -> str:
    """The UI wording of `WorkingCalendar.remaining_working_days`."""
    if n > 0:
        return _("%(n)s working days left", n=n)
    if n < 0:
        return _("%(n)s working days overdue", n=-n)
    return _("Due today")


@bp.get("/")
@require("calendar.manage")
def index():
    wanted = request.args.get("year", "").strip()
    error = None
    if wanted:
        if wanted.isdigit() and FIRST_YEAR <= int(wanted) <= LAST_YEAR:
            return redirect(url_for("calendar.year", year=int(wanted)))
        error = _("Enter a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    trial = _trial(request.args.get("start", "").strip(), request.args.get("n", "").strip())
    page = render_template(
        "calendar/index.html", years=year_overview(), wanted=wanted, error=error, trial=trial
    )
    return page, (422 if error or (trial and trial["error"]) else 200)


def _trial(start: str, n: str) -> dict | None:
    """Let the administrator check the calendar: the due date n working days after start."""
    if not start and not n:
        return None
    trial = {"start": start, "n": n, "due": None, "weekday": None, "left": None, "error": None}
    try:
        first, count = date.fromisoformat(start), int(n)
        if count < 0:
            raise ValueError(n)
    except ValueError:
        trial["error"] = _("Enter a date as 2026-09-15 and a number of working days of 0 or more.")
        return trial
    calendar = load_working_calendar()
    try:
        due = calendar.add_working_days(first, count)
    except CalendarUnavailable as err:
        trial["error"] = err.message
        return trial
    trial["due"], trial["weekday"] = due, WEEKDAYS[due.weekday()]
    with suppress(CalendarUnavailable):  # today may lie in a year not entered yet
        trial["left"] = working_days_left(calendar.remaining_working_days(today(), due))
    return trial


def today() -> date:
    """Today in China, whatever the server's time zone."""
    return datetime.now(ZoneInfo(DEFAULT_TZ)).date()


@bp.route("/<int:year>", methods=["GET", "POST"])
@require("calendar.manage")
def year(year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    official = builtin_year(year)
    if official is not None:
        if request.method == "POST":
            raise Conflict(f"{year}年为内置的官方日历，不能修改")
        return render_template("calendar/year.html", year=year, builtin=True, days=_rows(official), form=None)
    return _edit(year)


def _edit(year: int):
    entered = admin_year(year)
    form = YearForm()
    if request.method == "GET" and entered is not None:
        form.lines.data = format_year_lines(entered[0])
        form.complete.data = entered[1].complete
    line_errors: list[LineError] = []
    if form.validate_on_submit():
        parsed, line_errors = parse_year_lines(year, form.lines.data)
        if parsed is not None and _saved(parsed, form):
            return redirect(url_for("calendar.year", year=year))
    failed = request.method == "POST"
    return render_template(
        "calendar/year.html",
        year=year,
        builtin=False,
        form=form,
        line_errors=line_errors,
        entered=entered[1] if entered else None,
        days=_rows(entered[0]) if entered else [],
    ), (422 if failed else 200)


def _saved(parsed: YearCalendar, form: YearForm) -> bool:
    try:
        save_year(parsed, complete=form.complete.data, user_id=current_user.id)
    except ValidationFailed as err:
        db.session.rollback()
        form.complete.errors.append(err.message)
        return False
    db.session.commit()
    # the case runtime caches the calendar; deadlines must see the new year at once
    current_app.extensions["liancha.calendar"].invalidate()
    if form.complete.data:
        flash(_("The calendar of %(year)s is saved and used for deadlines.", year=parsed.year), "success")
    else:
        flash(_("The calendar of %(year)s is saved as a draft.", year=parsed.year), "warning")
    return True


def _rows(calendar: YearCalendar) -> list[dict]:
    days = [(d, "holiday", n) for d, n in calendar.holidays.items()]
    days += [(d, "workday", n) for d, n in calendar.workdays.items()]
    return [{"date": d, "weekday": WEEKDAYS[d.weekday()], "kind": k, "name": n} for d, k, n in sorted(days)]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(working_days_left, "working_days_left")
