# infra/deploy/sam.mk: the targets `sam build` runs, and the body of `make deploy`.
# The root Makefile includes this file.
#
# Every function in template.yaml has `CodeUri: .` (the module root, which
# holds the one go.mod) and `BuildMethod: makefile`, so `sam build` runs
# `make build-<LogicalId>` here with ARTIFACTS_DIR set to that function's
# artifact folder. Each target compiles one package of functions/ into the
# `bootstrap` binary that the provided.al2023 runtime starts.
# shared/httpapi/routes_template_test.go checks one target per function.

# lambda.norpc drops the RPC mode that only the retired go1.x runtime used.
# -trimpath, -buildvcs=false and no symbol table make the same sources give
# the same bytes, so a deploy changes only the functions whose code changed.
SAM_GO_FLAGS := -trimpath -buildvcs=false -tags lambda.norpc -ldflags='-s -w'

# sam_go_build compiles ./functions/$(1) for Lambda on Graviton.
sam_go_build = $(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is not set: `sam build` sets it))GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build $(SAM_GO_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(1)

.PHONY: build-LoginFunction build-LogoutFunction build-MeFunction build-MyTrainingFunction build-StartTrainingFunction build-CompleteTrainingFunction build-GetOrganizationFunction \
  build-LogoutEverywhereFunction build-CheckLinkFunction build-RedeemLinkFunction \
  build-ForgotPasswordFunction build-ChangePasswordFunction build-SendPasswordResetFunction \
  build-SetOneTimePasswordFunction \
  build-CheckRegistrationFunction build-RegisterFunction build-GetRegistrationFunction build-SetRegistrationFunction \
  build-ListUsersFunction build-CreateUserFunction build-GetUserFunction build-UpdateUserFunction \
  build-ApproveUsersFunction build-NotifyUsersFunction build-DeactivateUsersFunction \
  build-ActivateUsersFunction build-SetUsersExpirationFunction \
  build-ArchiveUsersFunction build-UnarchiveUsersFunction \
  build-AddUsersToGroupsFunction build-RemoveUsersFromGroupsFunction \
  build-SetUsersLocationFunction build-AssignCoursesFunction build-UnassignCoursesFunction build-SetDueDateFunction build-ArchiveActivityFunction build-SetUsersRoleFunction build-DeleteUsersFunction \
  build-ListUserAuditFunction build-ListAuditFunction build-ListGroupsFunction \
  build-CreateGroupFunction build-RenameGroupFunction build-DeleteGroupFunction \
  build-ListLocationsFunction build-CreateLocationFunction \
  build-RenameLocationFunction build-DeleteLocationFunction \
  build-ListCoursesFunction build-CreateCourseFunction build-GetCourseFunction \
  build-UpdateCourseFunction build-ListCourseLedgerFunction build-ListTrainingRecordsFunction \
  build-ListJobsFunction build-GetJobFunction build-ListJobOutcomesFunction build-CancelJobFunction \
  build-StartExportFunction build-GetExportFunction \
  build-StartImportFunction build-GetImportFunction build-ValidateImportFunction build-GetImportErrorsFunction build-ApplyImportFunction build-GetImportResultsFunction \
  build-StreamFunction build-JobWorkerFunction build-ExportWorkerFunction build-SendRemindersFunction

build-LoginFunction: ; $(call sam_go_build,login)
build-LogoutFunction: ; $(call sam_go_build,logout)
build-MeFunction: ; $(call sam_go_build,me)
build-MyTrainingFunction: ; $(call sam_go_build,my-training)
build-StartTrainingFunction: ; $(call sam_go_build,start-training)
build-CompleteTrainingFunction: ; $(call sam_go_build,complete-training)
build-LogoutEverywhereFunction: ; $(call sam_go_build,logout-everywhere)
build-CheckLinkFunction: ; $(call sam_go_build,check-link)
build-RedeemLinkFunction: ; $(call sam_go_build,redeem-link)
build-ForgotPasswordFunction: ; $(call sam_go_build,forgot-password)
build-ChangePasswordFunction: ; $(call sam_go_build,change-password)
build-SendPasswordResetFunction: ; $(call sam_go_build,send-password-reset)
build-SetOneTimePasswordFunction: ; $(call sam_go_build,set-one-time-password)
build-CheckRegistrationFunction: ; $(call sam_go_build,check-registration)
build-RegisterFunction: ; $(call sam_go_build,register)
build-GetRegistrationFunction: ; $(call sam_go_build,get-registration)
build-SetRegistrationFunction: ; $(call sam_go_build,set-registration)
build-GetOrganizationFunction: ; $(call sam_go_build,get-organization)
build-ListUsersFunction: ; $(call sam_go_build,list-users)
build-CreateUserFunction: ; $(call sam_go_build,create-user)
build-GetUserFunction: ; $(call sam_go_build,get-user)
build-UpdateUserFunction: ; $(call sam_go_build,update-user)
build-ApproveUsersFunction: ; $(call sam_go_build,approve-users)
build-NotifyUsersFunction: ; $(call sam_go_build,notify-users)
build-DeactivateUsersFunction: ; $(call sam_go_build,deactivate-users)
build-ActivateUsersFunction: ; $(call sam_go_build,activate-users)
build-SetUsersExpirationFunction: ; $(call sam_go_build,set-users-expiration)
build-ArchiveUsersFunction: ; $(call sam_go_build,archive-users)
build-UnarchiveUsersFunction: ; $(call sam_go_build,unarchive-users)
build-AddUsersToGroupsFunction: ; $(call sam_go_build,add-users-to-groups)
build-RemoveUsersFromGroupsFunction: ; $(call sam_go_build,remove-users-from-groups)
build-SetUsersLocationFunction: ; $(call sam_go_build,set-users-location)
build-AssignCoursesFunction: ; $(call sam_go_build,assign-courses)
build-UnassignCoursesFunction: ; $(call sam_go_build,unassign-courses)
build-SetDueDateFunction: ; $(call sam_go_build,set-due-date)
build-ArchiveActivityFunction: ; $(call sam_go_build,archive-activity)
build-SetUsersRoleFunction: ; $(call sam_go_build,set-users-role)
build-DeleteUsersFunction: ; $(call sam_go_build,delete-users)
build-ListUserAuditFunction: ; $(call sam_go_build,list-user-audit)
build-ListAuditFunction: ; $(call sam_go_build,list-audit)
build-ListGroupsFunction: ; $(call sam_go_build,list-groups)
build-CreateGroupFunction: ; $(call sam_go_build,create-group)
build-RenameGroupFunction: ; $(call sam_go_build,rename-group)
build-DeleteGroupFunction: ; $(call sam_go_build,delete-group)
build-ListLocationsFunction: ; $(call sam_go_build,list-locations)
build-CreateLocationFunction: ; $(call sam_go_build,create-location)
build-RenameLocationFunction: ; $(call sam_go_build,rename-location)
build-DeleteLocationFunction: ; $(call sam_go_build,delete-location)
build-ListCoursesFunction: ; $(call sam_go_build,list-courses)
build-CreateCourseFunction: ; $(call sam_go_build,create-course)
build-GetCourseFunction: ; $(call sam_go_build,get-course)
build-UpdateCourseFunction: ; $(call sam_go_build,update-course)
build-ListCourseLedgerFunction: ; $(call sam_go_build,list-course-ledger)
build-ListTrainingRecordsFunction: ; $(call sam_go_build,list-training-records)
build-ListJobsFunction: ; $(call sam_go_build,list-jobs)
build-GetJobFunction: ; $(call sam_go_build,get-job)
build-ListJobOutcomesFunction: ; $(call sam_go_build,list-job-outcomes)
build-CancelJobFunction: ; $(call sam_go_build,cancel-job)
build-StartImportFunction: ; $(call sam_go_build,start-import)
build-GetImportFunction: ; $(call sam_go_build,get-import)
build-ValidateImportFunction: ; $(call sam_go_build,validate-import)
build-GetImportErrorsFunction: ; $(call sam_go_build,get-import-errors)
build-ApplyImportFunction: ; $(call sam_go_build,apply-import)
build-GetImportResultsFunction: ; $(call sam_go_build,get-import-results)
build-StreamFunction: ; $(call sam_go_build,stream)
build-JobWorkerFunction: ; $(call sam_go_build,job-worker)
build-SendRemindersFunction: ; $(call sam_go_build,send-reminders)
build-ExportWorkerFunction: ; $(call sam_go_build,export-worker)
build-StartExportFunction: ; $(call sam_go_build,start-export)
build-GetExportFunction: ; $(call sam_go_build,get-export)

# Deployment settings: `make deploy SENDER_EMAIL=roster@example.com`.
STACK_NAME ?= roster
SENDER_EMAIL ?=
# More template parameters, as Name=Value pairs: CreateSenderIdentity=false LogLevel=DEBUG
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
	--parameter-overrides SenderEmail=$(SENDER_EMAIL) $${app_url:+AppUrl=$$app_url} $(SAM_PARAMETERS)

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
