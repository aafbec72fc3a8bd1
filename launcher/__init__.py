"""Local running: embedded servers, first-run setup and the process supervisor."""
