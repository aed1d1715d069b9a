"""Translation catalogues (the zh_CN locale lives in zh_Hans_CN, as Babel names it): zh_CN is the default locale, en the second.

msgids are English; `web/translations/<locale>/LC_MESSAGES/messages.po` holds the texts.
Compiled .mo files are build output: `ensure_compiled` builds any that are missing or stale.
"""

from __future__ import annotations

from pathlib import Path

TRANSLATIONS = Path(__file__).parent / "translations"


def ensure_compiled(directory: Path = TRANSLATIONS) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    built = []
    for po in directory.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        built.append(mo)
    return built
