"""Benchmarks that measure Liancha against a floor timed in the same run.

A benchmark is a module `bench/<name>.py` with `DEFAULT_SIZE`, `GOAL` and
`run(size: int, database_url: str) -> Result`; `python -m bench <name> [--size N]
[--database-url URL]` runs it and ends with one JSON line (see bench.common.Result). Helper
modules start with an underscore or are `common`; everything else is discovered as a benchmark.
"""
