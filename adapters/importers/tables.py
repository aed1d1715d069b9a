"""What an imported row becomes in the database: one spec per register, shared by the
SQLite and PostgreSQL writers so both merge the same way.

A row is staged in a temporary table, then merged with one INSERT … SELECT … ON CONFLICT DO
UPDATE … WHERE (stored) IS DISTINCT FROM (new): unchanged rows are not rewritten. Columns in
`keep_if_empty` take COALESCE(new, stored, default), so an empty cell never erases a value.
Tags are replaced afterwards for the rows that have a tag cell (adapters/importers/tags.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.importing import PILOT_CODE_REASON


@dataclass(frozen=True)
class TableSpec:
    table: str
    key: str
    fields: tuple[str, ...]  # the row's leading fields, stored as they are (key first)
    keep_if_empty: dict[str, str | None]  # column -> SQL default when the row is new
    tag_table: str
    tag_fk: str
    staged_types: dict[str, str] = field(default_factory=dict)  # PostgreSQL types (default text)
    insert_only: dict[str, str] = field(default_factory=dict)  # column -> SQL over staged `t`
    extra_staged: tuple[str, ...] = ()  # staged columns after the fields (the row's last ones)

    @property
    def stored(self) -> tuple[str, ...]:
        return (*self.fields, *self.keep_if_empty)

    @property
    def staged_columns(self) -> tuple[str, ...]:
        return (*self.stored, *self.extra_staged)

    def staged(self, row: tuple) -> tuple:
        """The row as staged: its stored fields, then the extras (the row's trailing fields)."""
        head = row[: len(self.stored)]
        return head + row[len(row) - len(self.extra_staged) :] if self.extra_staged else head


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def enterprises_spec(by_user_id: int | None, now_sql: str) -> TableSpec:
    by = str(int(by_user_id)) if by_user_id is not None else None
    return TableSpec(
        table="enterprises",
        key="uscc",
        fields=("uscc", "name", "industry_code", "region_code"),
        keep_if_empty={
            "address": None,
            "legal_representative": None,
            "contact": None,
            "risk_class": "'B'",
            "status": "'active'",
            "last_inspected_on": None,
        },
        tag_table="enterprise_tags",
        tag_fk="enterprise_id",
        staged_types={"last_inspected_on": "date", "pilot": "boolean"},
        # A pilot code is only ever a new row's key: the override is recorded when it is created.
        insert_only={
            "uscc_override": "t.pilot",
            "uscc_override_reason": f"CASE WHEN t.pilot THEN {_literal(PILOT_CODE_REASON)} END",
            # A bare NULL takes the column's type; inside CASE it would be text on PostgreSQL.
            "uscc_override_by_id": f"CASE WHEN t.pilot THEN {by} END" if by else "NULL",
            "uscc_override_at": f"CASE WHEN t.pilot THEN {now_sql} END",
        },
        extra_staged=("pilot",),
    )


def inspectors_spec(by_user_id: int | None, now_sql: str) -> TableSpec:
    return TableSpec(
        table="inspectors",
        key="cert_no",
        fields=("cert_no", "name", "department_id"),
        keep_if_empty={"fields": None, "region_code": None, "phone": None, "active": "true"},
        tag_table="inspector_tags",
        tag_fk="inspector_id",
        staged_types={"department_id": "integer", "active": "boolean"},
    )


SPECS = {"enterprises": enterprises_spec, "inspectors": inspectors_spec}
