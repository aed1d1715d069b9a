"""The problem list as a CSV file Excel opens directly (UTF-8 with BOM)."""

from __future__ import annotations

import csv
from pathlib import Path

from engine.importing import ImportReport, Problem

HEADERS = ("行号", "列", "级别", "问题")
LEVELS = {"error": "错误", "warning": "提示"}


class ReportFile:
    """Receives problems one by one while an import runs (use it as the report's sink)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file = self.path.open("w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._file)
        self._csv.writerow(HEADERS)

    def __call__(self, problem: Problem) -> None:
        self._csv.writerow(
            (
                "" if problem.row is None else problem.row,
                problem.column,
                LEVELS[problem.level],
                problem.message,
            )
        )

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ReportFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_report(path: Path | str, report: ImportReport) -> Path:
    """Write the problems kept in a report (use ReportFile as a sink to get every one)."""
    with ReportFile(path) as out:
        for problem in report.problems:
            out(problem)
    return out.path
