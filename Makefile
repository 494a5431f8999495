# Everything a newcomer needs: `make run` opens the app, `make test` checks everything.
# Both create .venv and install the project into it on first use (and when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots examples i18n clean system-packages

# Debian packages the tests use beyond Python: gettext (msgfmt checks the catalogs) and
# poppler-utils (pdfsig checks signed PDFs independently).
# Installed when missing and we may (root with apt-get), else named so a person can install them.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v pdfsig >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Please install these Debian packages first:$$missing"; exit 1; \
		fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/hrcities

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint system-packages
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	@for name in store startup typing language_switch sign; do \
		echo "== bench/$$name.py"; $(BIN)/python -m bench.$$name || exit 1; done

# Extract every user-visible text (code and form definitions) and update each language's catalog.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F i18n/babel.cfg -k N_ -k N_plural:1,2 -k ngettext:1,2 -c Translators: \
		--sort-by-file --no-wrap --project hrcities -o i18n/locale/hrcities.pot \
		desktop sync schemas i18n
	$(BIN)/python -m i18n.update_catalogs

# The signed envelope, office public key and signed PDF shown in docs/FORMATS.md.
examples: $(STAMP)
	$(BIN)/python docs/make_examples.py

screenshots: $(STAMP)
	$(BIN)/python docs/make_screenshots.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .hypothesis
