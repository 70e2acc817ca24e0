# Roster: `make run` starts the whole product on this machine; `make test` runs every test.
# Both set up what they need on a fresh clone.

SHELL := /bin/bash
GO ?= go
NPM ?= npm
STATICCHECK_VERSION := v0.8.2
CHROMIUM ?= /usr/bin/chromium

.PHONY: run reminders prerequisites test test-go test-web test-e2e lint build generate sizes coldstart web web-deps gen-api chromium bench deploy deploy-waf sam-local bootstrap clean reset

## run: the API, front end, DynamoDB Local, moto (SES), demo data; prints the sign-in.
run: prerequisites web
	$(GO) run ./infra/localstack/serve

## reminders: send today's reminders once from the running `make run` stack (see its mailbox).
reminders:
	$(GO) run ./infra/localstack/serve -reminders

# One clear line for a missing java, npm or moto_server, before anything starts.
prerequisites:
	@$(GO) run ./infra/localstack/serve -check

## test: unit, integration (DynamoDB Local, moto), template lint, front end, browser end-to-end.
test: lint test-go test-web test-e2e

# The race detector runs on every package (it needs cgo: a C compiler).
test-go:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 30m ./...

test-web: web-deps
	cd web && $(NPM) test

# The browser test drives the real dev server in headless Chromium.
# E2E_FILES="records.e2e.mjs" runs only the scenarios named.
# No -race: test-go already runs the same server code under it (see README, Tests).
test-e2e: web chromium
	$(GO) test -count=1 -tags e2e -timeout 15m ./infra/testharness/e2e

lint: web-deps
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags e2e ./infra/testharness/e2e
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	cfn-lint template.yaml infra/deploy/waf.yaml
	cd web && $(NPM) run typecheck

## generate: template.yaml's functions, functions/*/main.go and infra/deploy/functions.mk, from shared/functions (docs/functions.md).
generate: gen-api
	$(GO) generate ./...

## sizes: every function built as `sam build` does (linux/arm64), and a table of their sizes.
sizes:
	$(GO) run ./infra/deploy/sizes

## coldstart: the cold-start init of login, list-users and stream against a bare Go Lambda, under aws-lambda-rie (docs/functions.md).
coldstart:
	$(GO) run ./infra/deploy/coldstart

## build: every Go package and the front end.
build: web
	$(GO) build ./...

web: web-deps
	cd web && $(NPM) run build

## gen-api: web/src/generated/api.ts from api/openapi.yaml (test-web fails while it is stale).
gen-api: web-deps
	cd web && $(NPM) run gen:api

# npm ci only when the lock file changed since the last install.
web-deps: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund
	@touch $@

# Debian's Chromium: browser tests never download a browser of their own.
chromium:
	@command -v $(CHROMIUM) >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## bench: the measurements of docs/benchmarks.md, against DynamoDB Local.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./bench

## deploy: sam build + sam deploy + publish the front end (needs SAM CLI and AWS credentials).
deploy: web
	$(sam_deploy)

## deploy-waf: the WAF web ACL for the distribution, a stack in us-east-1 (prints the WebAclArn parameter).
deploy-waf:
	$(waf_deploy)

## sam-local: sam build + sam local start-api on :3000 (needs Docker and the SAM CLI; `make run` first, for its DynamoDB Local, moto and S3).
sam-local:
	$(sam_local)

## bootstrap: the first organization of a deployment: make bootstrap TABLE=... SLUG=acme NAME="Acme Ltd" EMAIL=owner@acme.example
bootstrap:
	$(GO) run ./infra/ops/bootstrap -table "$(TABLE)" -slug "$(SLUG)" -name "$(NAME)" -email "$(EMAIL)"

## reset: forget the local data (the demo organization is seeded again at the next run).
reset:
	rm -rf .local

clean:
	rm -rf .local bin web/dist .aws-sam

include infra/deploy/sam.mk
