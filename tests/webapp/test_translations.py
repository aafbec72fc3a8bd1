"""The panel speaks Russian by default and English on request."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.webapp.helpers import page_text

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
CATALOGUES = [
    WEBAPP / "translations" / "ru" / "LC_MESSAGES",
    WEBAPP / "translations_fab" / "ru" / "LC_MESSAGES",
]
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}


def as_key(value):
    return value if isinstance(value, str) else tuple(value)


def translated(catalogue_dir: Path) -> dict:
    with open(catalogue_dir / "messages.po", "rb") as po:
        return {as_key(m.id): as_key(m.string) for m in read_po(po) if m.id}


def test_every_text_of_the_panel_has_a_russian_translation():
    ours = translated(CATALOGUES[0])
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEBAPP), METHODS, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        key = message if isinstance(message, str) else tuple(message)
        string = ours.get(key) or ours.get(msgid)
        if not string or (isinstance(string, tuple) and not all(string)):
            missing.append(msgid)
    assert missing == []


@pytest.mark.parametrize("catalogue_dir", CATALOGUES, ids=["ours", "fab-fixes"])
def test_compiled_catalogue_matches_its_source(catalogue_dir):
    with open(catalogue_dir / "messages.mo", "rb") as mo:
        catalogue = read_mo(io.BytesIO(mo.read()))
    compiled = {as_key(m.id): as_key(m.string) for m in catalogue if m.id}
    assert compiled == translated(catalogue_dir)


def test_pages_are_russian_by_default(admin_client):
    text = page_text(admin_client.get("/bookings/list/").get_data(as_text=True))
    for word in ("Расписание", "Записи", "Отменить запись", "Не найдено ни одной"):
        assert word in text


def test_language_switch_shows_english(admin_client):
    admin_client.get("/lang/en")
    text = page_text(admin_client.get("/bookings/list/").get_data(as_text=True))
    for word in ("Schedule", "Bookings", "Cancel booking", "No records found"):
        assert word in text
    assert "Расписание" not in text
