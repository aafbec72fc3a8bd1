"""Flask-AppBuilder's user pages read in Russian like the rest of the panel."""

from __future__ import annotations

from tests.webapp.helpers import page_text


def test_user_list_and_detail_show_words_not_python_values(admin_client):
    listing = page_text(admin_client.get("/users/list/").get_data(as_text=True))
    detail = page_text(admin_client.get("/users/show/1").get_data(as_text=True))
    assert "да" in listing
    assert "True" not in listing and "True" not in detail
    assert "None" not in detail


def test_roles_are_named_in_the_pages_language(admin_client):
    listing = page_text(admin_client.get("/users/list/").get_data(as_text=True))
    assert "coordinator@example.org да Координатор" in listing
    assert "teacher@example.org да Преподаватель" in listing
    assert "[]" not in listing  # no groups: an empty cell, not a Python list
    admin_client.get("/lang/en")
    listing = page_text(admin_client.get("/users/list/").get_data(as_text=True))
    assert "coordinator@example.org yes Coordinator" in listing
    assert "admin@example.org yes Administrator" in listing


def test_user_form_explains_groups_in_russian(admin_client):
    form = page_text(admin_client.get("/users/add").get_data(as_text=True))
    assert "The user group" not in form
    assert "Группа пользователя" in form
