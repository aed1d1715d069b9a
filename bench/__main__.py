"""python -m bench NAME [--size N] [--database-url URL]   (python -m bench --list)"""

from __future__ import annotations

import argparse
import logging
import sys

from bench.common import ADMIN_URL, discover, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", nargs="?", help="benchmark to run")
    parser.add_argument("--size", type=int, default=None, help="problem size (default: the benchmark's own)")
    parser.add_argument(
        "--database-url", default=ADMIN_URL, help="PostgreSQL server to create scratch databases on"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        print("\n".join(discover()))
        return 0
    logging.getLogger("alembic").setLevel(logging.WARNING)
    module = load(args.name)
    result = module.run(args.size or module.DEFAULT_SIZE, args.database_url)
    print(result.json_line(), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
