# Two commands do all set-up on a fresh machine:
#   make run    install what the app needs into .venv and start it
#   make test   install the test tools and a browser (Debian's chromium), then run every test
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test bench chromium screenshots clean

$(VENV)/.app-installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q -e .  # fcviz, ui and fcviz_dev importable from anywhere: no sys.path edits
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.app-installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.app-installed
	$(PY) -m streamlit run app.py --server.port $(PORT)

chromium:
	@if [ -n "$$FCVIZ_CHROMIUM" ] || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

test: $(VENV)/.dev-installed chromium
	$(PY) -m pytest

bench: $(VENV)/.dev-installed chromium
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

screenshots: $(VENV)/.dev-installed chromium
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
