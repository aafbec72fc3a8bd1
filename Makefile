# Slotbook: the two commands of the README.
#   make run   - the whole system locally (embedded PostgreSQL/Redis unless
#                DATABASE_URL/REDIS_URL are set), demo centre, admin login.
#   make test  - lint, format check and the full test suite.
# Needs only Python 3.11 and make; everything else is installed into ./.venv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Stamps inside the venv: pip runs again only when a requirements file changed
# (or the venv was deleted).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test chromium

run: $(RUN_STAMP)
	$(PY) -m launcher

test: $(DEV_STAMP) chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest tests/

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		echo "warning: Slotbook is built for Python 3.11; $(PYTHON) is another version"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

# The browser tests drive Debian's Chromium (Playwright cannot download its
# own browser here). Installed when missing and we may; otherwise say how.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "The browser tests need Debian's chromium at $(CHROMIUM)."; \
		echo "Install it as root: apt-get install -y chromium"; \
		exit 1; \
	fi
