// Package roster is the kernel of Roster's domain: errors, ids and tokens,
// the clock, organizations, the User model with its states, statuses and
// actions, filters, the audit entry model, and the ports for email and
// files. The domain packages under it (accounts, groups, audit, exports,
// reminders) each hold their own rules, service and narrow store port; for
// now the roster's users, background jobs, imports and training live here
// too, until they move into packages of their own. It knows nothing of
// DynamoDB, SES or HTTP; the technology subpackages translate between those
// and the types defined here.
package roster
