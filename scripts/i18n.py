"""Build the Vietnamese catalog from the source strings and the hand-written fragments.

Message ids are English. Vietnamese translations live in `translations/vi/src/*.po`, one
fragment per feature area, so parallel work never edits the same file. `build` extracts
every translatable string, fills it from the fragments, writes
`translations/vi/LC_MESSAGES/messages.po` and compiles it. `missing` lists untranslated
ids, `orphans` the translations whose id is gone from the source.

    python scripts/i18n.py build
    python scripts/i18n.py missing
    python scripts/i18n.py orphans
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "translations" / "vi" / "src"
OUT_DIR = ROOT / "translations" / "vi" / "LC_MESSAGES"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}
METHOD_MAP = [("emulation/**.py", "python"), ("templates/**.html", "jinja2")]


def extract() -> Catalog:
    catalog = Catalog(locale="vi", project="emulation")
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        options_map=options,
        keywords=KEYWORDS,
        # Babel skips folders starting with "_" by default; templates/_macros has strings.
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _key(message) -> str:
    """A message's identity: its id (first form for plurals), prefixed by its context."""
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}\x04{ident}" if message.context else ident


def fragments() -> dict:
    merged: dict = {}
    for path in sorted(FRAGMENTS.glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="vi"):
                if message.id and message.string:
                    merged[_key(message)] = message.string
    return merged


def missing_ids() -> list[str]:
    known = fragments()
    ids = []
    for message in extract():
        if message.id and _key(message) not in known:
            ids.append(_key(message).replace("\x04", " | "))
    return sorted(ids)


def orphan_ids() -> list[str]:
    """Translations whose English id no longer occurs in the source: dead weight to remove."""
    extracted = {_key(message) for message in extract() if message.id}
    return sorted(key.replace("\x04", " | ") for key in fragments() if key not in extracted)


def build() -> None:
    catalog, known = extract(), fragments()
    for message in catalog:
        if message.id and _key(message) in known:
            message.string = known[_key(message)]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100)
    (OUT_DIR / "messages.po").write_bytes(buffer.getvalue())
    with (OUT_DIR / "messages.mo").open("wb") as fh:
        write_mo(fh, catalog)
    total = sum(1 for m in catalog if m.id)
    print(f"vi catalog: {total - len(missing_ids())}/{total} messages translated")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "build"
    if command in ("missing", "orphans"):
        for message_id in missing_ids() if command == "missing" else orphan_ids():
            print(message_id)
    else:
        build()
