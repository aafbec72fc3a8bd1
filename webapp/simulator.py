"""The bot simulator page (placeholder until the bot package provides it)."""

from __future__ import annotations


def register_simulator(appbuilder) -> None:
    """Add the simulator page to the panel."""
