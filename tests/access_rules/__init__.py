"""Who may use each route: RULES is merged from one module per area (see core.py for the rule
vocabulary). A new area adds a module with `rules() -> dict[str, Rule]` and lists it in AREAS."""

from __future__ import annotations

from importlib import import_module

from tests.access_rules.core import ACTORS, DEFAULT_ARGS, Rule

AREAS = (
    "account",
    "registers",
    "cases",
    "joint_tasks",
    "draws",
    "plans",
    "follow_ups",
    "notifications",
    "results",
    "publication",
)


def _merge() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for area in AREAS:
        for name, rule in import_module(f"tests.access_rules.{area}").rules().items():
            assert name not in out, f"route {name} declared twice (second time in {area})"
            out[name] = rule
    return out


RULES: dict[str, Rule] = _merge()

__all__ = ["ACTORS", "DEFAULT_ARGS", "RULES", "Rule"]
