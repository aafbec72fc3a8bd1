"""Slotbook's web admin panel and REST API (Flask-AppBuilder)."""
