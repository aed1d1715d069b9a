"""Chinese first: every UI string in the code has a zh_CN translation in the catalogue."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [("web/**.py", "python"), ("engine/**.py", "python"), ("web/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _msgids_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(str(ROOT), METHOD_MAP, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _zh_catalog():
    with (ROOT / "web/translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as fh:
        return read_po(fh)


def test_i18n__every_msgid_in_code_has_a_chinese_translation():
    catalog = _zh_catalog()
    translated = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string and not m.fuzzy
    }
    missing = sorted(_msgids_in_code() - translated)
    assert not missing, f"run `python scripts/i18n.py update` and translate: {missing[:20]}"
