"""Run one import: read the file, find the header, validate and write in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from adapters.importers.readers import open_table
from adapters.importers.writers import make_writer
from adapters.models import Department, Region
from engine.importing import (
    HEADER_SCAN_ROWS,
    KINDS,
    HeaderMap,
    ImportReport,
    Lookups,
    Problem,
    UnreadableFile,
    import_rows,
    looks_like_header,
    map_headers,
)

Progress = Callable[[int, int | None], None]  # (rows done, rows expected or None)


@dataclass(frozen=True)
class ImportOptions:
    skip_invalid: bool = False
    dry_run: bool = False
    allow_pilot_codes: bool = False
    by_user_id: int | None = None  # recorded on accepted pilot codes
    batch_size: int = 5000


def run_import(
    engine: Engine,
    kind: str,
    path: Path | str,
    options: ImportOptions = ImportOptions(),
    *,
    progress: Progress | None = None,
    sink: Callable[[Problem], None] | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import `path` into the `kind` register ("enterprises" or "inspectors").

    Default all-or-nothing; `skip_invalid` writes the sound rows; `dry_run` writes nothing.
    Every problem goes to the report (the first ones kept) and to `sink` if given.
    """
    spec = KINDS[kind]
    report = ImportReport(kind, dry_run=options.dry_run, skip_invalid=options.skip_invalid, sink=sink)
    try:
        with open_table(path) as table:
            report.encoding = table.encoding
            rows = table.rows()
            header = _find_header(spec.columns, rows, report)
            if header is None:
                return report
            tick = (lambda done: progress(done, table.size_hint)) if progress else None
            # One transaction for the whole import; leaving the block without commit rolls back.
            with engine.connect() as conn:
                lookups = load_lookups(conn, today or date.today(), options.allow_pilot_codes)
                writer = make_writer(conn, kind, options.by_user_id)
                validator = spec.validator(header, lookups)
                try:
                    commit = import_rows(
                        rows, validator, writer, report, batch_size=options.batch_size, progress=tick
                    )
                finally:
                    writer.close()
                if commit:
                    conn.commit()
                    report.written = True
    except UnreadableFile as err:
        report.add(Problem(None, "", str(err)))
    return report


def _find_header(columns, rows: Iterator[tuple[int, list[str]]], report: ImportReport) -> HeaderMap | None:
    """The header is the first row naming a required column among the first non-blank rows
    (title rows above it are skipped); without one, the first row is taken and found wanting."""
    first = None
    seen = 0
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        first = first or (number, cells)
        if looks_like_header(columns, cells):
            first = (number, cells)
            break
        seen += 1
        if seen >= HEADER_SCAN_ROWS:
            break
    if first is None:
        report.add(Problem(None, "", "文件为空"))
        return None
    header = map_headers(columns, first[1], row=first[0])
    for problem in header.problems:
        report.add(problem)
    return header if header.ok else None


def load_lookups(conn: Connection, today: date, allow_pilot_codes: bool) -> Lookups:
    regions = {
        code: (name, active)
        for code, name, active in conn.execute(select(Region.code, Region.name, Region.active))
    }
    departments = [
        tuple(r)
        for r in conn.execute(
            select(
                Department.id,
                Department.name,
                Department.short_name,
                Department.region_code,
                Department.active,
            )
        )
    ]
    return Lookups(regions, departments, today, allow_pilot_codes)
