"""Display names of the codes a public record shows: result codes (the office's dictionary,
DOMAIN.md §6) and follow-up outcomes (processes/follow_up/measures.json)."""

from __future__ import annotations

from adapters.result_dictionary import all_codes

OUTCOMES = {
    "rectified": "已责令改正并完成整改",
    "penalized": "已立案查处",
    "judicial": "已移送司法机关",
    "no_violation": "经核查不构成违法",
    "other": "其他",
}


def result_code_names() -> dict[str, str]:
    """code -> name, in the dictionary's display order."""
    return {row.code: row.name for row in all_codes()}


def outcome_name(code: str) -> str:
    return OUTCOMES.get(code, code)


def in_order(codes: set[str] | list[str], names: dict[str, str]) -> list[str]:
    """The codes in the dictionary's display order (unknown ones last)."""
    order = {code: n for n, code in enumerate(names)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


def result_text(items: list[dict], names: dict[str, str]) -> str:
    """Every result of the case by name, each once (the 结果 column of the public record)."""
    codes = {c for row in items for c in row["result_codes"]}
    return "；".join(names.get(c, c) for c in in_order(codes, names))[:500]
