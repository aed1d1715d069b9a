"""Notifications (bell, page, API), the mail outbox, and the inbox API."""

from __future__ import annotations

from tests.access_rules.core import ANY_ROLE, LOGGED_IN, OFFICE_AND_ADMIN, Rule

NOT_THEIRS = "the world's notification is officer A's: anyone else marking it gets a 404"


def rules() -> dict[str, Rule]:
    note = {"notification_id": "notification"}
    return {
        "notifications.index": Rule(read=LOGGED_IN),
        "notifications.read": Rule(write=LOGGED_IN, args=note, passed=frozenset({404}), note=NOT_THEIRS),
        "notifications.read_all": Rule(write=LOGGED_IN),
        "notifications.outbox": Rule(read=OFFICE_AND_ADMIN),
        "notifications_api.list_notifications": Rule(read=LOGGED_IN),
        "notifications_api.read": Rule(write=LOGGED_IN, args=note, passed=frozenset({404}), note=NOT_THEIRS),
        "notifications_api.read_all": Rule(write=LOGGED_IN),
        "inbox.inbox": Rule(read=ANY_ROLE),
    }
