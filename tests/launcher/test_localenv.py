"""Local secrets: generated once, kept private, reused, never over the given ones."""

from __future__ import annotations

import stat

from launcher.localenv import ensure_local_secrets


def test_missing_secrets_are_generated_once_and_reused(tmp_path) -> None:
    first = ensure_local_secrets(tmp_path, {})
    second = ensure_local_secrets(tmp_path, {})

    assert sorted(first.created) == ["ADMIN_PASSWORD", "SECRET_KEY"]
    assert len(first.values["SECRET_KEY"]) >= 32
    assert len(first.values["ADMIN_PASSWORD"]) >= 10
    assert second.created == []
    assert sorted(second.stored) == ["ADMIN_PASSWORD", "SECRET_KEY"]
    assert second.values == first.values


def test_two_fresh_var_dirs_get_different_secrets(tmp_path) -> None:
    one = ensure_local_secrets(tmp_path / "one", {})
    two = ensure_local_secrets(tmp_path / "two", {})

    assert one.values["SECRET_KEY"] != two.values["SECRET_KEY"]
    assert one.values["ADMIN_PASSWORD"] != two.values["ADMIN_PASSWORD"]


def test_the_secrets_file_is_readable_by_its_owner_only(tmp_path) -> None:
    result = ensure_local_secrets(tmp_path, {})

    mode = stat.S_IMODE(result.path.stat().st_mode)
    assert mode == 0o600
    assert result.path == tmp_path / "local.env"


def test_given_secrets_win_and_are_not_written(tmp_path) -> None:
    result = ensure_local_secrets(
        tmp_path, {"SECRET_KEY": "given-" * 8, "ADMIN_PASSWORD": "given-password"}
    )

    assert result.values == {
        "SECRET_KEY": "given-" * 8,
        "ADMIN_PASSWORD": "given-password",
    }
    assert result.created == []
    assert not result.path.exists()


def test_only_the_missing_secret_is_generated(tmp_path) -> None:
    result = ensure_local_secrets(tmp_path, {"ADMIN_PASSWORD": "given-password"})

    assert result.created == ["SECRET_KEY"]
    assert "given-password" not in result.path.read_text()


def test_example_values_are_replaced_like_missing_ones(tmp_path) -> None:
    result = ensure_local_secrets(
        tmp_path, {"ADMIN_PASSWORD": "change-me-admin-password"}
    )

    assert "ADMIN_PASSWORD" in result.created
    assert result.values["ADMIN_PASSWORD"] != "change-me-admin-password"
