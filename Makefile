# Two commands do all set-up on a fresh machine:
#   make run    install what the app needs (into .venv; Fashion-MNIST from Debian) and start it
#   make test   install the test tools, a browser (Debian's chromium), PostgreSQL's binaries, HAProxy, CJK fonts,
#               Fashion-MNIST and axe-core (npm), then run every test
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test bench chromium postgresql haproxy fonts fashion-mnist axe screenshots clean messages

# The translations: fcviz/locale/LANG/LC_MESSAGES/fcviz.po (translated by people), compiled here to .mo
LOCALE := fcviz/locale
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/fcviz.po))
# What `make messages` reads for strings marked _(), N_() or ngettext()
MESSAGE_SOURCES := app.py pages ui fcviz

$(VENV)/.app-installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q -e .  # fcviz, ui and fcviz_dev importable from anywhere: no sys.path edits
	touch $@

$(LOCALE)/%/LC_MESSAGES/fcviz.mo: $(LOCALE)/%/LC_MESSAGES/fcviz.po $(VENV)/.app-installed
	$(VENV)/bin/pybabel -q compile -D fcviz -i $< -o $@

# After marking new strings: extract them and add them (untranslated) to every language's .po
messages: $(VENV)/.app-installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ -k later --no-location --sort-output --project fcviz \
		-o $(LOCALE)/fcviz.pot $(MESSAGE_SOURCES)
	$(VENV)/bin/pybabel -q update -D fcviz -i $(LOCALE)/fcviz.pot -d $(LOCALE) --no-fuzzy-matching --ignore-obsolete

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.app-installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.app-installed $(CATALOGUES) fashion-mnist haproxy
	$(PY) serve.py --server.port $(PORT)  # streamlit run asgi.py (FCVIZ_PAGE_SERVERS of them), its first page loaded once

# $(call apt_install,PATH,PACKAGE): Debian's PACKAGE unless PATH exists (as root, or with sudo)
define apt_install
	@if [ -e $(1) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); fi
endef

chromium:
	$(if $(FCVIZ_CHROMIUM),@:,$(call apt_install,/usr/bin/chromium,chromium))

# a PostgreSQL server's binaries: the store's tests start a throw-away server from them (fcviz_dev/postgres.py)
postgresql:
	$(call apt_install,/usr/lib/postgresql,postgresql)

# HAProxy: serve.py puts several page servers behind it (FCVIZ_PAGE_SERVERS), each browser kept on one
haproxy:
	$(call apt_install,/usr/sbin/haproxy,haproxy)

# Chinese characters in Chromium's pages and screenshots
fonts:
	$(call apt_install,/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,fonts-noto-cjk)

# the real Fashion-MNIST (60,000/10,000 IDX files): the Fashion-MNIST data choice, its tests, the benchmarks
fashion-mnist:
	$(call apt_install,/usr/share/datasets/fashion-mnist,dataset-fashion-mnist)

# axe-core (npm): the contrast test runs it in Chromium over every page (node and npm come with the machine)
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)
axe: $(AXE)

test: $(VENV)/.dev-installed $(CATALOGUES) chromium postgresql haproxy fonts fashion-mnist axe
	$(PY) -m pytest -n 2 --dist worksteal

bench: $(VENV)/.dev-installed chromium fashion-mnist haproxy
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

screenshots: $(VENV)/.dev-installed $(CATALOGUES) chromium fonts
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
