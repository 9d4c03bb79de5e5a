# Orbis: `make site` builds the site in this repo into Output/, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages; root or sudo).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev pkg-config

.PHONY: site test deps build release clean bench

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

release: deps
	$(SWIFT) build -c release --product orbis

site: release
	.build/release/orbis build --root .

build: deps
	$(SWIFT) build --build-tests

test: build
	$(SWIFT) test --skip-build --disable-xctest

clean:
	rm -rf .build Output
