"""Reading a spreadsheet as rows of strings: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX.

Rows are streamed, numbered as in the spreadsheet (the first row is 1), cells given as text.
The kind of file is told by its content, not its name: a renamed workbook still reads.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from engine.importing import UnreadableFile, detect_encoding

CHUNK = 1 << 20
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls


class CsvTable:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding = detect_encoding(lambda: _chunks(path))
        self.size_hint = sum(chunk.count(b"\n") for chunk in _chunks(path))
        self._file = path.open(encoding=self.encoding, newline="")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        first = self._file.readline()
        self._file.seek(0)
        # Excel saves "CSV" with the list separator of the locale; tabs come from "text" exports.
        delimiter = max(",\t;", key=first.count) if first else ","
        try:
            yield from enumerate(csv.reader(self._file, delimiter=delimiter), start=1)
        except csv.Error as err:
            raise UnreadableFile(f"CSV 格式错误：{err}（请检查引号是否成对）") from err

    def close(self) -> None:
        self._file.close()


class XlsxTable:
    encoding = None

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many kinds for a damaged workbook
            raise UnreadableFile(f"无法读取 Excel 文件：{err}") from err
        self._sheet = self._book.worksheets[0]
        self.size_hint = self._sheet.max_row
        # Some generators write a wrong <dimension>; forget it so that no row is cut off.
        self._sheet.reset_dimensions()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(self._sheet.iter_rows(), start=1):
            yield number, [cell_text(c) for c in cells]

    def close(self) -> None:
        self._book.close()


def cell_text(cell) -> str:
    """A cell as the user sees it: whole numbers without '.0', leading zeros of a '0000'
    number format kept (行业代码 0111 stored as a number), dates as ISO dates."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, int) and fmt and set(fmt) == {"0"}:
        text = text.zfill(len(fmt))
    return text


@contextmanager
def open_table(path: Path | str) -> Iterator[CsvTable | XlsxTable]:
    """Open a CSV or XLSX file for reading rows; UnreadableFile when it is neither."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE2_MAGIC):
        raise UnreadableFile(
            "不支持 Excel 97-2003（.xls）格式，请在 Excel 中另存为 .xlsx 或 CSV UTF-8 后再导入"
        )
    table = XlsxTable(path) if zipfile.is_zipfile(path) else CsvTable(path)
    try:
        yield table
    finally:
        table.close()


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
