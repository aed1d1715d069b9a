"""The import report and the batch loop that decides what is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from engine.importing.columns import Problem
from engine.importing.rows import RowValidator

MAX_KEPT_PROBLEMS = 1000  # problems kept in the report object; a sink may receive them all


@dataclass
class ImportReport:
    """What an import found and did; counts are rows, problems are per cell."""

    kind: str
    dry_run: bool = False
    skip_invalid: bool = False
    encoding: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    sink: Callable[[Problem], None] | None = field(default=None, repr=False, compare=False)

    def add(self, problem: Problem) -> None:
        if problem.level == "error":
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        if self.sink is not None:
            self.sink(problem)

    @property
    def outcome(self) -> str:
        """imported | partial (--skip-invalid left rows out) | checked (dry run) | rejected."""
        if self.dry_run:
            return "checked"
        if not self.written:
            return "rejected"
        return "partial" if self.invalid else "imported"


class BatchWriter(Protocol):
    """Where sound rows go. `write` may work in the background; `totals` waits for it and
    answers (created, updated, unchanged) over every batch written."""

    def write(self, rows: list) -> None: ...

    def totals(self) -> tuple[int, int, int]: ...


def import_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    validator: RowValidator,
    writer: BatchWriter,
    report: ImportReport,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Validate every data row and hand the sound ones to `writer` in batches.

    All-or-nothing unless `report.skip_invalid`: after the first invalid row nothing more is
    written and the caller must roll back; checking goes on so that every problem is reported.
    A dry run writes like skip_invalid (to count what would change) and is always rolled back.
    Returns True when the caller should commit.
    """
    keep_writing = True
    batch: list = []
    for number, cells in rows:
        if not "".join(cells).strip():
            continue
        report.rows += 1
        row, problems = validator.validate(number, cells)
        if problems:
            report.invalid += 1
            for problem in problems:
                report.add(problem)
            if not (report.skip_invalid or report.dry_run):
                keep_writing = False
                batch = []
        elif keep_writing:
            batch.append(row)
            if len(batch) >= batch_size:
                writer.write(batch)
                batch = []  # a new list: the writer may still be using the old one
        if progress is not None and report.rows % 1000 == 0:
            progress(report.rows)
    if keep_writing and batch:
        writer.write(batch)
    if progress is not None:
        progress(report.rows)
    if report.rows == 0:
        report.add(Problem(None, "", "文件中没有数据行（只有表头或为空）"))
        return False
    if keep_writing:  # otherwise rolled back: nothing happened
        report.created, report.updated, report.unchanged = writer.totals()
    return keep_writing and not report.dry_run
