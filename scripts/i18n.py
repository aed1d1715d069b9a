"""Keep the catalogues in step with the code.

python scripts/i18n.py update   # extract msgids, merge into zh_CN and en catalogues
python scripts/i18n.py check    # list zh_CN msgids without a translation (exit 1 if any)
python scripts/i18n.py fill FILE.json  # merge {"msgid": "中文"} pairs into zh_CN
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TR = ROOT / "web" / "translations"
POT = TR / "messages.pot"
ZH = TR / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def pybabel(*args: str) -> None:
    exe = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(exe), *args], check=True, cwd=ROOT, capture_output=True)


def update() -> None:
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "-o",
        str(POT),
        ".",
    )
    pybabel("update", "-i", str(POT), "-d", str(TR), "--no-fuzzy-matching", "--ignore-obsolete")
    for source in sorted((ROOT / "scripts" / "i18n").glob("zh_*.json")):
        fill(str(source))


def untranslated() -> list[str]:
    with ZH.open("rb") as fh:
        catalog = read_po(fh)
    return [
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]


def fill(path: str) -> None:
    pairs = json.loads(Path(path).read_text(encoding="utf-8"))
    with ZH.open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    for msg in catalog:
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        if key in pairs:
            msg.string = pairs[key] if isinstance(msg.id, str) else (pairs[key],) * len(msg.id)
            msg.flags.discard("fuzzy")
    with ZH.open("wb") as fh:
        write_po(fh, catalog, width=0)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "update":
        update()
    elif cmd == "fill":
        fill(sys.argv[2])
    missing = untranslated()
    for m in missing:
        print(m)
    if cmd == "check" and missing:
        sys.exit(1)
