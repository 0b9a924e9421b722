# shipseal — see README.md. Every target works on a fresh machine with Go.
GO       ?= go
BIN      := bin
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30s
MANDIR   ?= man

.PHONY: all build install test demo bench fuzz lint clean man

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

install:
	CGO_ENABLED=0 $(GO) install -trimpath -ldflags '$(LDFLAGS)' ./cmd/...

# The whole suite. Tests that need a Docker engine, a registry or pre-commit
# skip with a reason when those are missing, unless SHIPSEAL_E2E=require.
test: lint
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -tags man -run '^TestManPages$$' ./cmd/shipseal/

demo: build
	@./scripts/demo.sh $(BIN)/shipseal

bench: build
	@./bench/run.sh $(BIN)/shipseal

# Runs every fuzz target for FUZZTIME each.
fuzz:
	@./scripts/fuzz.sh $(FUZZTIME)

# Man pages for every command, generated from their --help (cobra/doc). The
# man command exists only with -tags man, to keep cobra/doc (and markdown
# and YAML) out of the shipped binary.
man:
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} \
	  $(GO) run -tags man ./cmd/shipseal man $(MANDIR)

# The cross vets keep shipseal building on the platforms developers run it
# on, tests included (vet compiles them); the tests run on Linux only. They
# add a few seconds with a warm build cache. darwin/amd64 has no file of its
# own: darwin/arm64 and linux/amd64 cover it.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags man ./cmd/shipseal/
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=freebsd GOARCH=amd64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...

# The generator's FROM-scratch image (docs/generator.md): a static binary,
# nothing pulled. IMAGE names the tag. The image must stay under 10 MB.
# REVISION is the commit, or "unknown" outside git or before the first
# commit (where a plain `git rev-parse HEAD` prints "HEAD" and fails).
IMAGE ?= shipseal
REVISION  = $(shell git rev-parse --verify -q HEAD 2>/dev/null || echo unknown)
.PHONY: image
image:
	CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/image/shipseal ./cmd/shipseal
	docker build --build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) -t $(IMAGE) .

clean:
	rm -rf $(BIN)
