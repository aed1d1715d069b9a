"""Importing the registers (两库) from county spreadsheets, without I/O.

Header mapping (`columns`), cell values and encoding detection (`values`), per-row validation
into typed rows or Chinese problems carrying the spreadsheet row number and the column header as
written (`rows`), and the batch loop deciding what gets written (`batches`). Files, SQL and
transactions belong to adapters/importers.

Empty cells never erase what the register already holds: an absent optional column and an empty
cell both mean "keep the stored value" (and the default when the row is new).
"""

from engine.importing.batches import MAX_KEPT_PROBLEMS, BatchWriter, ImportReport, import_rows
from engine.importing.columns import (
    ENTERPRISE_COLUMNS,
    HEADER_SCAN_ROWS,
    INSPECTOR_COLUMNS,
    Column,
    HeaderMap,
    Problem,
    looks_like_header,
    map_headers,
    normalise_header,
)
from engine.importing.rows import (
    KINDS,
    PILOT_CODE_REASON,
    EnterpriseRow,
    EnterpriseValidator,
    InspectorRow,
    InspectorValidator,
    Kind,
    Lookups,
    RowValidator,
)
from engine.importing.values import UnreadableFile, detect_encoding, parse_date, split_tags

__all__ = [
    "BatchWriter",
    "ENTERPRISE_COLUMNS",
    "HEADER_SCAN_ROWS",
    "INSPECTOR_COLUMNS",
    "KINDS",
    "MAX_KEPT_PROBLEMS",
    "PILOT_CODE_REASON",
    "Column",
    "EnterpriseRow",
    "EnterpriseValidator",
    "HeaderMap",
    "ImportReport",
    "InspectorRow",
    "InspectorValidator",
    "Kind",
    "Lookups",
    "Problem",
    "RowValidator",
    "UnreadableFile",
    "detect_encoding",
    "import_rows",
    "looks_like_header",
    "map_headers",
    "normalise_header",
    "parse_date",
    "split_tags",
]
