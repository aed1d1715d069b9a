"""`liancha import enterprises FILE` and `liancha import inspectors FILE`.

Default all-or-nothing; --skip-invalid imports the sound rows, --dry-run writes nothing,
--report PATH writes every problem as a CSV Excel opens (UTF-8 with BOM).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

OUTCOMES = {
    "imported": "导入完成。",
    "partial": "已导入有效行，无效行已跳过。",
    "checked": "仅校验（--dry-run），未写入任何数据。",
    "rejected": "未导入任何数据：请修正以下问题后重新导入，或使用 --skip-invalid 只导入有效行。",
}
SHOWN_PROBLEMS = 20


@click.group("import")
def import_group() -> None:
    """Import the registers from CSV (UTF-8 or GBK) or XLSX files."""


def _options(command):
    options = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--skip-invalid", is_flag=True, help="Import the valid rows, skip the invalid ones."),
        click.option("--dry-run", is_flag=True, help="Check and report only; write nothing."),
        click.option(
            "--report",
            "report_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write every problem to this CSV file (UTF-8 with BOM).",
        ),
        click.option("--user", "username", help="Username recorded as the operator (e.g. of pilot codes)."),
    ]
    for option in reversed(options):
        command = option(command)
    return with_appcontext(command)


@import_group.command("enterprises")
@_options
@click.option(
    "--allow-pilot-codes",
    is_flag=True,
    help="Accept codes whose only fault is the check character (early pilot codes); the override is recorded.",
)
def import_enterprises(file, skip_invalid, dry_run, report_path, username, allow_pilot_codes):
    """Import 检查对象 (enterprises), keyed by 统一社会信用代码."""
    _run("enterprises", file, skip_invalid, dry_run, report_path, username, allow_pilot_codes)


@import_group.command("inspectors")
@_options
def import_inspectors(file, skip_invalid, dry_run, report_path, username):
    """Import 执法检查人员 (inspectors), keyed by 执法证号."""
    _run("inspectors", file, skip_invalid, dry_run, report_path, username, False)


def _run(kind, file, skip_invalid, dry_run, report_path, username, allow_pilot_codes) -> None:
    from adapters.db import db
    from adapters.importers import ImportOptions, ReportFile, run_import
    from adapters.models import User
    from engine.importing import KINDS

    by_user_id = None
    if username:
        by_user_id = db.session.execute(db.select(User.id).filter_by(username=username)).scalar_one_or_none()
        if by_user_id is None:
            raise click.BadParameter(f"no user {username!r}", param_hint="--user")
    default_report = report_path is None and skip_invalid
    target = report_path or file.with_name(f"{file.stem}_导入问题.csv")
    options = ImportOptions(skip_invalid, dry_run, allow_pilot_codes, by_user_id)
    click.echo(f"导入{KINDS[kind].label}：{file}")
    bar = _Bar()
    sink = ReportFile(target) if report_path or skip_invalid else None
    try:
        report = run_import(db.engine, kind, file, options, progress=bar, sink=sink)
    finally:
        bar.close()
        if sink:
            sink.close()
    _summary(report)
    if sink and default_report and not report.problems:
        target.unlink()  # nothing to report: do not leave an empty file next to the input
    elif sink:
        click.echo(f"问题清单已写入：{target}")
    if report.outcome == "rejected" or (report.outcome == "checked" and report.error_count):
        sys.exit(1)


def _summary(report) -> None:
    if report.encoding:
        click.echo(f"文件编码：{report.encoding}")
    click.echo(
        f"共 {report.rows} 行：新增 {report.created}，更新 {report.updated}，"
        f"未变 {report.unchanged}，无效 {report.invalid}"
    )
    for problem in report.problems[:SHOWN_PROBLEMS]:
        where = f"第{problem.row}行" if problem.row else "文件"
        level = "错误" if problem.level == "error" else "提示"
        click.echo(f"  [{level}] {where} {problem.column}：{problem.message}".replace(" ：", "："))
    hidden = report.error_count + report.warning_count - SHOWN_PROBLEMS
    if hidden > 0:
        click.echo(f"  …… 另有 {hidden} 条问题（用 --report PATH 导出全部）")
    click.echo(OUTCOMES[report.outcome])


class _Bar:
    """click.progressbar on stderr, opened when the first count (and the expected total) arrives."""

    def __init__(self) -> None:
        self._bar = None
        self._done = 0

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is None:
            self._bar = click.progressbar(
                length=max(total or 0, done, 1), label="校验并写入", file=sys.stderr
            )
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
