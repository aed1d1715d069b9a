from datetime import date

from engine.identifiers import make_uscc
from engine.importing import (
    ENTERPRISE_COLUMNS,
    EnterpriseValidator,
    ImportReport,
    Lookups,
    Problem,
    import_rows,
    map_headers,
)

HEADER = ["企业名称", "统一社会信用代码", "行业代码", "所属区域"]
LOOKUPS = Lookups({"130102": ("长安区", True)}, [], date(2026, 6, 1))


def rows(n, bad_at=()):
    for i in range(n):
        code = "bad" if i in bad_at else make_uscc("9", "1", "130102", f"{i:08d}")
        yield i + 2, [f"企业{i}", code, "6210", "130102"]


class Sink:
    """Counts every row it is given as created."""

    def __init__(self):
        self.batches = []

    def write(self, batch):
        self.batches.append(len(batch))

    def totals(self):
        return sum(self.batches), 0, 0


def run(source, **flags):
    report = ImportReport("enterprises", **flags)
    sink = Sink()
    validator = EnterpriseValidator(map_headers(ENTERPRISE_COLUMNS, HEADER), LOOKUPS)
    commit = import_rows(source, validator, sink, report, batch_size=4)
    return commit, report, sink


def test_batches__sound_file_is_written_in_batches_and_committed():
    commit, report, sink = run(rows(10))
    assert commit and sink.batches == [4, 4, 2]
    assert (report.rows, report.created, report.invalid, report.error_count) == (10, 10, 0, 0)


def test_batches__one_bad_row_means_nothing_is_committed_but_all_problems_are_listed():
    commit, report, sink = run(rows(10, bad_at={1, 8}))
    assert not commit
    assert sink.batches == []  # writing stopped at the first bad row, before any batch filled
    assert report.created == 0 and report.invalid == 2
    assert [p.row for p in report.problems] == [3, 10]


def test_batches__skip_invalid_writes_the_sound_rows():
    commit, report, sink = run(rows(10, bad_at={1, 8}), skip_invalid=True)
    assert commit and sum(sink.batches) == 8 and report.created == 8 and report.invalid == 2


def test_batches__dry_run_counts_but_never_commits():
    commit, report, sink = run(rows(10), dry_run=True)
    assert not commit and report.created == 10 and report.outcome == "checked"


def test_batches__blank_rows_are_skipped_and_header_only_is_an_error():
    commit, report, _ = run(iter([(2, ["", " ", ""]), (3, [])]))
    assert not commit and report.rows == 0
    assert report.problems == [Problem(None, "", "文件中没有数据行（只有表头或为空）")]


def test_batches__problems_beyond_the_kept_number_still_reach_the_sink():
    seen = []
    report = ImportReport("enterprises", sink=seen.append)
    for i in range(1500):
        report.add(Problem(i, "列", "错"))
    assert len(report.problems) == 1000 and len(seen) == 1500 and report.error_count == 1500
