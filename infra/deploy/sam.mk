# infra/deploy/sam.mk: the rule `sam build` runs, and the body of `make deploy`.
# The root Makefile includes this file.
#
# Every function in template.yaml has `CodeUri: .` (the module root, which
# holds the one go.mod) and `BuildMethod: makefile`, so `sam build` runs
# `make build-<LogicalId>` here with ARTIFACTS_DIR set to that function's
# artifact folder. One rule builds them all: it compiles the function's
# package of functions/ into the `bootstrap` binary that the provided.al2023
# runtime starts. functions.mk, written by `go generate ./...` from the list
# of functions (shared/functions), names each logical id's folder.

include $(dir $(lastword $(MAKEFILE_LIST)))functions.mk

# lambda.norpc drops the RPC mode that only the retired go1.x runtime used.
# -trimpath, -buildvcs=false and no symbol table make the same sources give
# the same bytes, so a deploy changes only the functions whose code changed.
SAM_GO_FLAGS := -trimpath -buildvcs=false -tags lambda.norpc -ldflags='-s -w'

# sam_go_build compiles ./functions/$(1) for Lambda on Graviton.
sam_go_build = $(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is not set: `sam build` sets it))GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(SAM_GO_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(1)

# build-LoginFunction builds ./functions/login, and so on for every function.
SAM_BUILD_TARGETS := $(addprefix build-,$(SAM_FUNCTIONS))
.PHONY: $(SAM_BUILD_TARGETS)
$(SAM_BUILD_TARGETS): build-%Function: ; $(call sam_go_build,$(function_dir_$*))

# Deployment settings: `make deploy SENDER_EMAIL=roster@example.com`.
STACK_NAME ?= roster
SENDER_EMAIL ?=
# Who the alarms email (the AlarmEmail parameter).
ALARM_EMAIL ?=
# More template parameters, as Name=Value pairs: CreateSenderIdentity=false LogLevel=DEBUG
# DomainName=roster.example.com CertificateArn=... WebAclArn=... (README, Deploying).
# Give the same ones at every deploy: one left out goes back to its default.
SAM_PARAMETERS ?=
# The front end's address in invitation emails (the AppUrl parameter): by
# default the stack's SiteUrl output; set it when a domain of your own points
# at the distribution: APP_URL=https://roster.example.com
APP_URL ?=
SITE_DIR ?= web/dist

sam_stack_output = aws cloudformation describe-stacks --stack-name $(STACK_NAME) --query "Stacks[0].Outputs[?OutputKey=='$(1)'].OutputValue" --output text

# sam_deploy_stack deploys the stack with AppUrl set to the shell variable
# app_url, or to AppUrl's default (empty) when app_url is empty.
sam_deploy_stack = sam deploy --stack-name $(STACK_NAME) --resolve-s3 --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
	--parameter-overrides SenderEmail=$(SENDER_EMAIL) $${app_url:+AppUrl=$$app_url} $(if $(ALARM_EMAIL),AlarmEmail=$(ALARM_EMAIL)) $(SAM_PARAMETERS)

# sam_deploy is the recipe of `make deploy`, after the front end is built into
# $(SITE_DIR): build every function, deploy the stack, then publish the site.
# The functions cannot read the distribution's address from the template (it
# would be a circular dependency), so it comes in as AppUrl: from APP_URL, or
# the stack's SiteUrl; a first deploy, before there is a SiteUrl, deploys
# again once the distribution exists.
# Hashed assets go first and stay cached for a year; index.html goes last,
# revalidated on every visit, so no page ever names an asset not yet there.
# Old assets are kept (no --delete): a page loaded before the deploy may
# still fetch them.
define sam_deploy
@test -n "$(SENDER_EMAIL)" || { echo "deploy: set SENDER_EMAIL, the address emails come from: make deploy SENDER_EMAIL=roster@example.com" >&2; exit 1; }
@test -f "$(SITE_DIR)/index.html" || { echo "deploy: $(SITE_DIR)/index.html is missing: build the front end first" >&2; exit 1; }
sam build --build-in-source --parallel
app_url="$(APP_URL)"; [ -n "$$app_url" ] || app_url=$$($(call sam_stack_output,SiteUrl) 2>/dev/null); \
	$(sam_deploy_stack) && \
	if [ -z "$$app_url" ]; then app_url=$$($(call sam_stack_output,SiteUrl)) && $(sam_deploy_stack); fi
bucket=$$($(call sam_stack_output,SiteBucketName)) && \
	distribution=$$($(call sam_stack_output,SiteDistributionId)) && \
	aws s3 sync "$(SITE_DIR)" "s3://$$bucket" --exclude index.html --cache-control "public, max-age=31536000, immutable" && \
	aws s3 cp "$(SITE_DIR)/index.html" "s3://$$bucket/index.html" --cache-control "no-cache" && \
	aws cloudfront create-invalidation --distribution-id "$$distribution" --paths /index.html >/dev/null && \
	echo "deployed: $$($(call sam_stack_output,SiteUrl))"
endef

# The WAF web ACL (infra/deploy/waf.yaml) is a stack of its own in us-east-1,
# the only region where CloudFront's web ACLs exist: `make deploy-waf`, then
# give its ARN to the main stack: make deploy SAM_PARAMETERS="WebAclArn=...".
WAF_STACK_NAME ?= $(STACK_NAME)-waf
define waf_deploy
aws cloudformation deploy --region us-east-1 --stack-name $(WAF_STACK_NAME) \
	--template-file infra/deploy/waf.yaml --no-fail-on-empty-changeset
@echo "WebAclArn=$$(aws cloudformation describe-stacks --region us-east-1 --stack-name $(WAF_STACK_NAME) --query "Stacks[0].Outputs[?OutputKey=='WebAclArn'].OutputValue" --output text)"
endef

# `make sam-local`: the functions under SAM's own emulator, in Docker, as
# `sam local start-api` runs them, against the DynamoDB Local, moto and S3
# of `make run` (started first, in another terminal). The env file gives
# every function those endpoints (sam local cannot resolve the origin
# secret and has no CloudFront in front): infra/deploy/sam-local-env.json.
SAM_LOCAL_ENV ?= infra/deploy/sam-local-env.json
SAM_LOCAL_PORT ?= 3000
define sam_local
@command -v sam >/dev/null || { echo "sam-local: needs the SAM CLI (and Docker)" >&2; exit 1; }
sam build --build-in-source --parallel
sam local start-api --env-vars $(SAM_LOCAL_ENV) --port $(SAM_LOCAL_PORT) --warm-containers LAZY
endef
