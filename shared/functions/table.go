package functions

// readTable, readItems and writeTable are the statements most functions
// share: reads of the table and its indexes, reads of items by key, and
// conditional writes of items.
var (
	readItems  = Statement{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem"}, Resources: []string{Table}}
	readTable  = Statement{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table, EveryIndex}}
	writeTable = Statement{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}, Resources: []string{Table}}
)

// All is every function of Roster and its deploy settings, in the order
// of template.yaml. The routes of an HTTP function are those of
// httpapi.Routes with its Name.
var All = []Function{
	{
		Name:  "login",
		About: "Signs in: counts the attempt against the address and the login (conditional updates), reads the organization, the account and its password hash, and stores a new session; a success gives the attempt back.",
		// Verifying an argon2id hash (19 MiB, 2 passes) is CPU-bound, and Lambda
		// gives CPU in proportion to memory: 1 GiB keeps a sign-in quick.
		MemoryMB: 1024,
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{
				// The session; the throttle counters of failed attempts.
				"dynamodb:PutItem",
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "logout",
		About: "Signs out: deletes the caller's session, nothing else.",
		Policy: []Statement{
			{Sid: "WriteTable", Actions: []string{"dynamodb:DeleteItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "logout-everywhere",
		About: "Ends every session of the caller: stamps the user's sessionsEndedAt and deletes this session, in one transaction.",
		Policy: []Statement{
			readItems,
			// The user, and this session.
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:DeleteItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "check-link",
		About: "Says what an invitation or reset link is for; spends nothing (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "redeem-link",
		About: "Spends a link once: the password, the user's sessionsEndedAt and a new session in one transaction.",
		// Hashing a password with argon2id (19 MiB, 2 passes) is CPU-bound, and
		// Lambda gives CPU in proportion to memory.
		MemoryMB: 1024,
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem"}, Resources: []string{Table}},
			// The password, the user and the session; the link marked spent; its being
			// the latest checked.
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "forgot-password",
		About: "Emails a password reset link when the account exists; the same answer either way. Throttled.",
		Email: true,
		Policy: []Statement{
			readItems,
			// The link and the user's latest link; the throttle counters and the
			// organization's email count of the day (conditional ADD).
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
			{Sid: "SendPasswordResets", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
	},
	{
		Name:  "change-password",
		About: "Changes the caller's password; ends their other sessions, this one stays.",
		// Hashing a password with argon2id (19 MiB, 2 passes) is CPU-bound, and
		// Lambda gives CPU in proportion to memory.
		MemoryMB: 1024,
		Policy: []Statement{
			readItems,
			// The password and the user; this session restamped.
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "send-password-reset",
		About: "An administrator emails a user a password reset link.",
		Email: true,
		Policy: []Statement{
			readItems,
			// The link and the user's latest link; the organization's email count of
			// the day (conditional ADD).
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
			{Sid: "SendPasswordResets", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
	},
	{
		Name:  "set-one-time-password",
		About: "An administrator sets a one-time password, shown once; ends the user's sessions.",
		// Hashing a password with argon2id (19 MiB, 2 passes) is CPU-bound, and
		// Lambda gives CPU in proportion to memory.
		MemoryMB: 1024,
		Policy: []Statement{
			readItems,
			// The password and the user.
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "check-registration",
		About: "Says which organization a registration link opens; reads the organization only.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "register",
		About: "Adds a Pending learner through a registration link: counts the attempt per client address (a counter item with TTL), reads the organization, and writes the user with its email reservation in one transaction.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				// The attempt counters of the client address (throttling).
				"dynamodb:BatchGetItem",
			}, Resources: []string{Table}},
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "me",
		About: "The signed-in user and their organization (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "my-training",
		About: "The caller's enrollments with their courses (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "start-training",
		About: "Records the caller's start of a course: the enrollment, its seat (reserved to used) with its ledger entry and the caller's first access, in the user's one transaction.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// The caller's enrollments, to answer with the one moved.
				"dynamodb:Query",
			}, Resources: []string{Table}},
			{Sid: "WriteTable", Actions: []string{
				// The user item and the seat's ledger entry, in the user's transaction.
				"dynamodb:PutItem",
				// The enrollment and the course's seats.
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "complete-training",
		About: "Records the caller's completion of a course (starting it first when not started) with the retake date.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// The caller's enrollments, to answer with the one moved.
				"dynamodb:Query",
			}, Resources: []string{Table}},
			{Sid: "WriteTable", Actions: []string{
				// The user item and the seat's ledger entry, in the user's transaction.
				"dynamodb:PutItem",
				// The enrollment and the course's seats.
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "get-organization",
		About: "The organization with its roster counts (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "get-registration",
		About: "The organization's registration link (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "set-registration",
		About: "Turns the registration link on or off, or renews it: one update of the organization item.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:UpdateItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-users",
		About: "The roster with its filters; served by index queries, never a scan (read-only).",
		Policy: []Statement{
			readTable,
		},
	},
	{
		Name:  "create-user",
		About: "Adds a user with its email and user ID reserved in one transaction; approved and sent the invitation (SES) at once when asked.",
		Email: true,
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// The owners, once, to start the owner count of an organization made
				// before it was kept.
				"dynamodb:Query",
			}, Resources: []string{Table, Index("ByRole")}},
			{Sid: "WriteTable", Actions: []string{
				// The user with its reservations and memberships, and the invitation's
				// link token.
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md); the organization's email count of
				// the day (conditional ADD).
				"dynamodb:UpdateItem",
				// A group or location the user is put in must exist and not be being
				// deleted: a ConditionCheck in the user's transaction.
				"dynamodb:ConditionCheckItem",
			}, Resources: []string{Table}},
			// As for NotifyUsersFunction: any identity of the account (the sender's
			// address or domain, and in the SES sandbox the recipient's), but only
			// from SenderEmail.
			{Sid: "SendInvitations", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
	},
	{
		Name:  "list-jobs",
		About: "The organization's recent background jobs, newest first (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "get-job",
		About: "A background job's progress (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "list-job-outcomes",
		About: "A page of a job's per-user outcomes, with the users' names (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "cancel-job",
		About: "Marks a job that has not finished cancelled, one conditional update.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:UpdateItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "start-export",
		About: "Queues an export of the roster (a filter or listed users); the export worker writes it.",
		// Files without an S3 permission: an export starts only where there
		// is a bucket; the worker writes the file.
		Files: true,
		Policy: []Statement{
			// The session and its user.
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "get-export",
		About: "An export's progress, and once done a fresh presigned download link (which needs s3:GetObject on the export).",
		Files: true,
		Policy: []Statement{
			readItems,
			{Sid: "SignDownloads", Actions: []string{"s3:GetObject"}, Resources: []string{Objects("org/*/exports/*")}},
		},
	},
	{
		Name:  "start-import",
		About: "Start an upload: its presigned link.",
		Files: true,
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
			// Presigns the upload's PUT: the link carries this permission.
			{Sid: "ImportFiles", Actions: []string{"s3:PutObject"}, Resources: []string{Objects("org/*")}},
		},
	},
	{
		Name:  "get-import",
		About: "An upload and its preview (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "validate-import",
		About: "Check an upload in full against the roster.",
		// Validating 50,000 rows takes seconds: the API's 29-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       1024,
		Files:          true,
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table}},
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
			// Reads the upload, writes the error report.
			{Sid: "ImportFiles", Actions: []string{"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"}, Resources: []string{Objects("org/*")}},
			// Only a caller that may list the bucket is told a missing file is missing
			// (404, "has not arrived"); others get a 403.
			{Sid: "FilesMissing", Actions: []string{"s3:ListBucket"}, Resources: []string{Bucket}},
		},
	},
	{
		Name:  "get-import-errors",
		About: "A link to an upload's error report (read-only).",
		Files: true,
		Policy: []Statement{
			readItems,
			// Presigns the error report's GET.
			{Sid: "ImportFiles", Actions: []string{"s3:GetObject"}, Resources: []string{Objects("org/*")}},
		},
	},
	{
		Name:  "apply-import",
		About: "Check an upload again and start its job.",
		// Validating 50,000 rows takes seconds: the API's 29-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       1024,
		Files:          true,
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table}},
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
			// Reads the upload again.
			{Sid: "ImportFiles", Actions: []string{"s3:GetObject"}, Resources: []string{Objects("org/*")}},
			// Only a caller that may list the bucket is told a missing file is missing
			// (404, "has not arrived"); others get a 403.
			{Sid: "FilesMissing", Actions: []string{"s3:ListBucket"}, Resources: []string{Bucket}},
		},
	},
	{
		Name:  "get-import-results",
		About: "A link to the per-row result file of an applied upload (read-only).",
		Files: true,
		Policy: []Statement{
			readItems,
			// Presigns the result file's GET.
			{Sid: "ImportFiles", Actions: []string{"s3:GetObject"}, Resources: []string{Objects("org/*")}},
		},
	},
	{
		Name:  "get-user",
		About: "One user (read-only).",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "update-user",
		About: "Changes a user on condition of its version; may move its unique email/user ID items and memberships.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// The owners, once, to start the owner count of an organization made
				// before it was kept.
				"dynamodb:Query",
			}, Resources: []string{Table, Index("ByRole")}},
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
				// The reservation of a changed email or user ID, a membership left.
				"dynamodb:DeleteItem",
				// A group or location the user is put in must exist and not be being
				// deleted: a ConditionCheck in the user's transaction.
				"dynamodb:ConditionCheckItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "approve-users",
		About: "Approves pending users, each its own conditional write; with notify, then emails each an invitation through SES, storing its single-use link token first.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Email:          true,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				// The user, and the invitation's link token.
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md); the organization's email count of
				// the day (conditional ADD).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
			// SES authorizes a send on the identities it involves: the sender's (its
			// address, or its domain when the domain is the verified identity) and,
			// while the account is in the SES sandbox, the recipient's. Any identity
			// of the account, then, but only from SenderEmail.
			{Sid: "SendInvitations", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
	},
	{
		Name:  "notify-users",
		About: "Emails each selected user with access an invitation through SES, storing its single-use link token first, then marks the user notified.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Email:          true,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				// The user, and the invitation's link token.
				"dynamodb:PutItem",
				// The organization's email count of the day (conditional ADD).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
			// SES authorizes a send on the identities it involves: the sender's (its
			// address, or its domain when the domain is the verified identity) and,
			// while the account is in the SES sandbox, the recipient's. Any identity
			// of the account, then, but only from SenderEmail.
			{Sid: "SendInvitations", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
	},
	{
		Name:  "deactivate-users",
		About: "Takes access away from up to a thousand users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "activate-users",
		About: "Gives access back to up to a thousand deactivated users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "set-users-expiration",
		About: "Sets or clears the expiration date of up to a thousand users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "archive-users",
		About: "Archives up to a thousand users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "unarchive-users",
		About: "Unarchives up to a thousand users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "add-users-to-groups",
		About: "Adds up to a thousand users to groups; each its own conditional write, with the new membership items.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// A group or location the user is put in must exist and not be being
				// deleted: a ConditionCheck in the user's transaction.
				"dynamodb:ConditionCheckItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "remove-users-from-groups",
		About: "Removes up to a thousand users from groups; each its own conditional write, deleting the membership items.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The memberships of the groups left.
				"dynamodb:DeleteItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "set-users-location",
		About: "Sets or clears the location of up to a thousand users; each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// A group or location the user is put in must exist and not be being
				// deleted: a ConditionCheck in the user's transaction.
				"dynamodb:ConditionCheckItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "assign-courses",
		About: "Assigns courses to up to a thousand users; each user, their enrollments and seats in one transaction.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			writeTable,
		},
	},
	{
		Name:  "unassign-courses",
		About: "Removes courses from up to a thousand users, giving back seats not used; one transaction each.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			writeTable,
		},
	},
	{
		Name:  "set-due-date",
		About: "Changes the due date of assigned courses for up to a thousand users.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			writeTable,
		},
	},
	{
		Name:  "archive-activity",
		About: "Archives the course activity of up to a thousand users: the enrollment is kept aside, an unused seat goes back, the course can be assigned again.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			writeTable,
		},
	},
	{
		Name:  "set-users-role",
		About: "Makes up to a thousand users learners or admins (owners only); each its own conditional write.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "delete-users",
		About: "Deletes up to a thousand users for good (owners only, with the typed confirmation): a stamping write, then one transaction deleting each user with their credential, reservations and memberships.",
		// Up to 1000 users, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				// The write that stamps who deletes the user.
				"dynamodb:PutItem",
				// The owner count, moved in the user's transaction when a write gives or
				// takes ownership (docs/data-model.md).
				"dynamodb:UpdateItem",
				// The user, password, email and user ID reservations, memberships.
				"dynamodb:DeleteItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-user-audit",
		About: "One user's history, newest first, from the ByAuditTarget index (read-only).",
		Policy: []Statement{
			// The organization's log is a query of the table; one user's history, of
			// the ByAuditTarget index. The people the entries name are read in
			// batches.
			{Sid: "ReadAudit", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table, Index("ByAuditTarget")}},
		},
	},
	{
		Name:  "list-audit",
		About: "The organization's audit log, newest first, filtered and paged (read-only).",
		Policy: []Statement{
			// The organization's log is a query of the table; one user's history, of
			// the ByAuditTarget index. The people the entries name are read in
			// batches.
			{Sid: "ReadAudit", Actions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}, Resources: []string{Table, Index("ByAuditTarget")}},
		},
	},
	{
		Name:  "list-groups",
		About: "The organization's groups (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// A key range of the organization's partition; no index.
				"dynamodb:Query",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "create-group",
		About: "Adds a group with its name reserved in one transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "rename-group",
		About: "Renames a group on condition of its version, moving its name reservation in the same transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{
				// The group and its new name's reservation.
				"dynamodb:PutItem",
				// The old name's reservation.
				"dynamodb:DeleteItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "delete-group",
		About: "Takes every member out of the group (up to a thousand, after checking their number against expectedMembers), then deletes it with its name reservation on condition of its version.",
		// Up to 1000 members, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				// Each member's user item.
				"dynamodb:PutItem",
				// Their memberships, the group and its name reservation.
				"dynamodb:DeleteItem",
				// The group marked as being deleted first, so that no user joins it while
				// its members are taken out.
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-locations",
		About: "The organization's locations (read-only).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// A key range of the organization's partition; no index.
				"dynamodb:Query",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "create-location",
		About: "Adds a location with its name reserved in one transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{"dynamodb:PutItem"}, Resources: []string{Table}},
		},
	},
	{
		Name:  "rename-location",
		About: "Renames a location on condition of its version, moving its name reservation in the same transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{
				// The location and its new name's reservation.
				"dynamodb:PutItem",
				// The old name's reservation.
				"dynamodb:DeleteItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "delete-location",
		About: "Takes every member out of the location (up to a thousand, after checking their number against expectedMembers), then deletes it with its name reservation on condition of its version.",
		// Up to 1000 members, 16 at a time: allow up to the API's 30-second limit.
		TimeoutSeconds: 29,
		MemoryMB:       512,
		Policy: []Statement{
			readTable,
			{Sid: "WriteTable", Actions: []string{
				// Each member's user item.
				"dynamodb:PutItem",
				// The location and its name reservation.
				"dynamodb:DeleteItem",
				// The location marked as being deleted first, so that no user joins it
				// while its members are taken out.
				"dynamodb:UpdateItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-courses",
		About: "Lists the courses with their pools' figures (one query).",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// A key range of the organization's partition; no index.
				"dynamodb:Query",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "create-course",
		About: "Adds a course with its name reserved and, for a limited pool, its first ledger entry, in one transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{
				// The course, its name reservation and its first ledger entry.
				"dynamodb:PutItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "get-course",
		About: "Reads a course with its pool's figures.",
		Policy: []Statement{
			readItems,
		},
	},
	{
		Name:  "update-course",
		About: "Edits a course on condition of its version; seats bought move on condition that the pool stays above reserved and used, with a ledger entry, in one transaction.",
		Policy: []Statement{
			readItems,
			{Sid: "WriteTable", Actions: []string{
				// The course's edited fields and seats.
				"dynamodb:UpdateItem",
				// The new name's reservation and the ledger entry.
				"dynamodb:PutItem",
				// The old name's reservation.
				"dynamodb:DeleteItem",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-course-ledger",
		About: "Pages a course's seat ledger, newest first, with the people it names.",
		Policy: []Statement{
			{Sid: "ReadTable", Actions: []string{
				"dynamodb:GetItem",
				"dynamodb:BatchGetItem",
				// A key range of the organization's partition; no index.
				"dynamodb:Query",
			}, Resources: []string{Table}},
		},
	},
	{
		Name:  "list-training-records",
		About: "Pages the organization's enrollments and archived course activity with their users: a course's ByCourse partition, the roster's user indexes for a group or location, or the organization's enrollment items.",
		Policy: []Statement{
			readTable,
		},
	},
	{
		Name:           "stream",
		About:          "The table's stream consumer: keeps each organization's roster counts, writes an audit entry per user change, and when a user is deleted removes the personal data from their audit entries (core.ServeStream).",
		Description:    "Roster stream consumer (side effects of user changes)",
		Main:           "ServeStream",
		TimeoutSeconds: 60,
		Policy: []Statement{
			// One transaction per change: a conditional put of the audit entry and
			// counter updates.
			{Sid: "RecordChanges", Actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, Resources: []string{Table}},
			// A deleted user's audit entries, found through the ByAuditTarget index
			// and, for the latest ones the index may not show yet, in the table's
			// audit range; each updated to drop its field changes
			// (dynamodb:UpdateItem, above).
			{Sid: "FindAuditToScrub", Actions: []string{"dynamodb:Query"}, Resources: []string{Table, Index("ByAuditTarget")}},
			// An archived user's unused seats, released once each: the course read
			// (GetItem) and a transaction checking the user is still archived
			// (ConditionCheckItem) with the enrollment, the course and the ledger
			// entry (UpdateItem, PutItem, above).
			{Sid: "ReleaseSeats", Actions: []string{"dynamodb:GetItem", "dynamodb:ConditionCheckItem"}, Resources: []string{Table}},
			// A deleted user's training: their enrollments and archived course
			// activity, found by Query (above), each deleted; a seat not started given
			// back as above, in a transaction deleting the enrollment and checking the
			// user is gone.
			{Sid: "RemoveDeletedTraining", Actions: []string{"dynamodb:DeleteItem"}, Resources: []string{Table}},
		},
		// Reading the stream and sending to the on-failure queue are granted by SAM
		// from the event below (AWSLambdaDynamoDBExecutionRole, and sqs:SendMessage
		// on that queue only).
		Stream: &Stream{
			BatchSize:             100,
			BatchingWindowSeconds: 1,
			// The consumer reports the SequenceNumber of the first record it failed;
			// Lambda retries from there instead of redoing the batch.
			BisectOnError: true,
			Retries:       5,
			// Only user and course items have side effects; without this filter every
			// audit entry and counter the consumer writes would invoke it again. A
			// course's seat movement copies the pool's figures onto its ledger entry
			// (UpdateItem, above).
			Filters: []string{
				`{"dynamodb":{"Keys":{"SK":{"S":[{"prefix":"USER#"}]}}}}`,
				`{"dynamodb":{"Keys":{"SK":{"S":[{"prefix":"COURSE#"}]}}}}`,
			},
		},
	},
	{
		Name:        "job-worker",
		About:       "Runs background jobs (bulk actions on large filter selections) from the table's stream: a job's creation snapshots its selection into chunks, the checked snapshot releases them, and each released chunk's record applies the action to its users. Every step is idempotent.",
		Description: "Roster job worker (background bulk actions)",
		Main:        "ServeJobWorker",
		// A batch of up to 10 records: a snapshot of a large roster, or 10 chunks
		// of 100 users, each user one transaction.
		TimeoutSeconds: 300,
		MemoryMB:       512,
		Email:          true,
		Files:          true,
		Env: []Env{
			// The front end's address, for invitations sent by notify jobs.
			{Name: "APP_URL", Value: RefAppURL},
		},
		Policy: []Statement{
			// The job, its chunks and outcomes, the users (through the filter's index
			// for the snapshot) and the groups and locations a user write checks.
			readTable,
			// Each user's write with its outcome in one transaction (the user,
			// reservations, memberships, reference checks); the job's chunks, tallies
			// and status; the organization's email count of the day (notify jobs,
			// imports that invite).
			writeTable,
			// Notify and approve-and-notify jobs, as for NotifyUsersFunction.
			{Sid: "SendInvitations", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
			// Import jobs read the upload again.
			{Sid: "ImportFiles", Actions: []string{"s3:GetObject"}, Resources: []string{Objects("org/*")}},
			// Only a caller that may list the bucket is told a missing file is missing
			// (404, "has not arrived"); others get a 403.
			{Sid: "FilesMissing", Actions: []string{"s3:ListBucket"}, Resources: []string{Bucket}},
			// An ended import job's result file, streamed (multipart), one per job:
			// org/<org>/imports/<import>/<job>/results.csv.
			{Sid: "ImportResults", Actions: []string{"s3:PutObject", "s3:AbortMultipartUpload"}, Resources: []string{Objects("org/*/imports/*/*/results.csv")}},
		},
		Stream: &Stream{
			BatchSize: 10,
			// A failed step reports its record's SequenceNumber; the steps before it
			// are idempotent, and so is the retry.
			BisectOnError: true,
			Retries:       5,
			// Only jobs and their chunks drive steps; the per-user outcome items
			// (JOBUSER#) and everything else stay out.
			Filters: []string{
				`{"dynamodb":{"Keys":{"SK":{"S":[{"prefix":"JOB#"}]}}}}`,
				`{"dynamodb":{"Keys":{"SK":{"S":[{"prefix":"JOBCHUNK#"}]}}}}`,
			},
		},
	},
	{
		Name:        "send-reminders",
		About:       "Emails reminders once a day: learners whose training is due soon, overdue or due for retake, and a digest to each organization's administrators (core.ServeReminders). Each email is claimed in the table before it is sent, so a retried or repeated run sends nothing twice.",
		Description: "Roster send-reminders (daily due, overdue and retake reminders)",
		Main:        "ServeReminders",
		// Every organization in one run, one email at a time.
		TimeoutSeconds: 900,
		MemoryMB:       512,
		Email:          true,
		Env: []Env{
			// The front end's address, for the links to My training and the roster.
			{Name: "APP_URL", Value: RefAppURL},
		},
		Policy: []Statement{
			// The enrollments due (ByDue), read again with the users, courses and
			// organization; the administrators through ByRole (and the counters a
			// listing reads).
			readItems,
			{Sid: "FindDue", Actions: []string{"dynamodb:Query"}, Resources: []string{Index("ByDue"), Index("ByRole")}},
			// The claim of each email before it is sent (PutItem, on condition it is
			// new), given back when SES refuses it.
			{Sid: "ClaimReminders", Actions: []string{"dynamodb:PutItem", "dynamodb:DeleteItem"}, Resources: []string{Table}},
			{Sid: "SendReminders", Actions: []string{"ses:SendRawEmail"}, Resources: []string{SESIdentities}, FromSenderOnly: true},
		},
		Schedule: &Schedule{Event: "Daily", Expression: "cron(0 7 * * ? *)", Description: "Roster's daily reminders, at 07:00 UTC"},
	},
	{
		Name:        "export-worker",
		About:       "Writes exports from the table's stream: an export item's INSERT runs it, streaming the rows into a multipart upload that appears only when complete. A retried record starts the export over; a finished export is left alone.",
		Description: "Roster export worker (spreadsheets of the roster)",
		Main:        "ServeExportWorker",
		// 100,000 users take about a minute (docs/benchmarks.md); the most Lambda
		// allows, for larger rosters.
		TimeoutSeconds: 900,
		MemoryMB:       512,
		Files:          true,
		Policy: []Statement{
			// The export, the users (through the filter's index), their enrollments,
			// and the names of groups, locations and courses.
			readTable,
			// The export's status and rows.
			{Sid: "WriteTable", Actions: []string{"dynamodb:UpdateItem"}, Resources: []string{Table}},
			{Sid: "WriteExports", Actions: []string{"s3:PutObject", "s3:AbortMultipartUpload"}, Resources: []string{Objects("org/*/exports/*")}},
		},
		Stream: &Stream{
			BatchSize: 1,
			Retries:   2,
			// Only the creation of an export runs one; its progress updates stay out.
			Filters: []string{
				`{"eventName":["INSERT"],"dynamodb":{"Keys":{"SK":{"S":[{"prefix":"EXPORT#"}]}}}}`,
			},
		},
	},
}
