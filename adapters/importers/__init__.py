"""Importers for the registers (两库): CSV/XLSX readers and batch upsert writers for SQLite and
PostgreSQL. The rules (headers, validation, what is written when) are in engine.importing."""

from adapters.importers.report_file import ReportFile, write_report
from adapters.importers.runner import ImportOptions, run_import

__all__ = ["ImportOptions", "ReportFile", "run_import", "write_report"]
