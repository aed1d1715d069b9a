"""Follow-ups and revisits (web/follow_ups.py)."""

from __future__ import annotations

from tests.access_rules.core import READERS, Rule


def rules() -> dict[str, Rule]:
    """`follow_up_a` is a follow-up of department A (lead and receiving department) whose
    transfer is done, so its referral letter exists; revisits are asked of `case_a`, which is
    not closed: an allowed request answers 409 and changes nothing (tests/access_world.py
    build_follow_ups)."""
    return {
        "follow_ups.letter": Rule(
            read=READERS | {"officer", "inspector"}, owner="dept", args={"instance_id": "follow_up_a"}
        ),
        "follow_ups.add_revisit": Rule(
            write={"office", "officer"},
            owner="dept",
            args={"instance_id": "case_a"},
            data={"purpose": "矩阵回访"},
            note="case_a is open: an allowed revisit is refused with 409",
        ),
    }
