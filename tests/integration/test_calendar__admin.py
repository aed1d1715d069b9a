"""The working-day calendar admin page, on SQLite and PostgreSQL: a sysadmin enters 2027 and
deadlines in 2027 become computable; nobody else may touch it."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.calendar_store import load_working_calendar, year_overview
from adapters.db import db
from adapters.models import CalendarDay, CalendarYear
from engine.calendar import CalendarUnavailable
from tests import factories as f

# Test data in the shape of an official notice (the real 2027 notice is not out yet).
LINES_2027 = """2027-01-01 元旦
2027-02-06~2027-02-13 春节
2027-02-20 春节调休上班
2027-04-05 清明节
2027-05-01~2027-05-05 劳动节
"""


def _admin(client):
    f.user("root", ["sysadmin"])
    db.session.commit()
    f.login(client, "root")


def _post_year(client, year: int, lines: str, complete: bool):
    data = {"lines": lines, "csrf_token": f.csrf_token(client, f"/admin/calendar/{year}")}
    if complete:
        data["complete"] = "y"
    return client.post(f"/admin/calendar/{year}", data=data)


def test_calendar__admin_enters_2027_then_deadlines_in_2027_work(client):
    _admin(client)
    with pytest.raises(CalendarUnavailable):
        load_working_calendar().add_working_days(date(2027, 2, 5), 1)

    response = _post_year(client, 2027, LINES_2027, complete=True)
    assert response.status_code == 302

    db.session.rollback()  # read what was committed, not what the session holds
    cal = load_working_calendar()
    # Fri 2-5 → 春节 2-6…13 off, Sun 2-14 off, Mon 2-15 is the first working day.
    assert cal.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 15)
    assert cal.add_working_days(date(2027, 2, 19), 1) == date(2027, 2, 20)  # Saturday worked
    # Across the year end: Thu 2026-12-31 → Fri 2027-01-01 off, Mon 1-4 (1).
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert db.session.get(CalendarYear, 2027).complete
    assert db.session.get(CalendarDay, date(2027, 2, 20)).kind == "workday"

    page = client.get("/admin/calendar/").get_data(as_text=True)
    assert "2027" in page


def test_calendar__a_draft_year_is_not_used(client):
    _admin(client)
    assert _post_year(client, 2027, LINES_2027, complete=False).status_code == 302
    db.session.rollback()  # read what was committed, not what the session holds
    with pytest.raises(CalendarUnavailable):
        load_working_calendar().add_working_days(date(2027, 3, 1), 1)
    assert [s.complete for s in year_overview() if s.year == 2027] == [False]


def test_calendar__bad_lines_are_shown_per_line_and_nothing_is_saved(client):
    _admin(client)
    response = _post_year(client, 2027, "2027-01-01 元旦\n2027-02-22 调休上班\nnonsense\n", complete=True)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2027-02-22 是星期一" in page
    assert "nonsense" in page
    db.session.rollback()  # read what was committed, not what the session holds
    assert db.session.get(CalendarYear, 2027) is None


def test_calendar__an_incomplete_year_cannot_be_marked_complete(client):
    _admin(client)
    response = _post_year(client, 2027, "2027-01-01 元旦\n", complete=True)
    assert response.status_code == 422
    assert "少于法定节假日" in response.get_data(as_text=True)
    db.session.rollback()  # read what was committed, not what the session holds
    assert db.session.get(CalendarYear, 2027) is None


def test_calendar__resaving_replaces_the_year(client):
    _admin(client)
    _post_year(client, 2027, LINES_2027, complete=True)
    _post_year(client, 2027, LINES_2027.replace("2027-02-20 春节调休上班\n", ""), complete=True)
    db.session.rollback()  # read what was committed, not what the session holds
    assert db.session.get(CalendarDay, date(2027, 2, 20)) is None
    assert not load_working_calendar().is_working_day(date(2027, 2, 20))


def test_calendar__builtin_years_are_read_only(client):
    _admin(client)
    page = client.get("/admin/calendar/2026")
    assert page.status_code == 200
    assert "2026-10-10" in page.get_data(as_text=True)
    assert 'name="lines"' not in page.get_data(as_text=True)
    token = f.csrf_token(client, "/admin/calendar/2027")
    response = client.post("/admin/calendar/2026", data={"lines": "2026-01-01 元旦", "csrf_token": token})
    assert response.status_code == 409


@pytest.mark.parametrize("role", ["office", "officer", "inspector", "auditor"])
def test_calendar__only_sysadmin_may_open_or_change_it(client, role):
    dept = f.department()
    f.user("someone", [role], department_id=dept.id)
    db.session.commit()
    f.login(client, "someone")
    assert client.get("/admin/calendar/").status_code == 403
    assert client.get("/admin/calendar/2027").status_code == 403
    token = f.csrf_token(client, "/")  # a valid token, so the refusal is the policy's
    assert token
    response = client.post(
        "/admin/calendar/2027", data={"lines": LINES_2027, "complete": "y", "csrf_token": token}
    )
    assert response.status_code == 403
    db.session.rollback()  # read what was committed, not what the session holds
    assert db.session.get(CalendarYear, 2027) is None


def test_calendar__anonymous_is_sent_to_login(client):
    response = client.get("/admin/calendar/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_calendar__the_index_computes_a_trial_deadline(client):
    _admin(client)
    page = client.get("/admin/calendar/?start=2026-09-15&n=20")
    assert page.status_code == 200
    assert "2026-10-19" in page.get_data(as_text=True)
    missing = client.get("/admin/calendar/?start=2027-03-01&n=5")
    assert missing.status_code == 422
    assert "2027年的工作日历尚未录入" in missing.get_data(as_text=True)
    assert client.get("/admin/calendar/?start=yesterday&n=5").status_code == 422
