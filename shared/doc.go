// Package roster is the kernel of Roster's domain: errors, ids and tokens,
// the clock, organizations, the User model with its states, statuses and
// actions, filters, the audit entry model, a user's course assignments
// and the course and seat-shortage types they name, and the ports for
// email and files. The domain packages under it (accounts, groups, audit,
// exports, reminders, training) each hold their own rules, service and
// narrow store port; users reach training through the Training port
// declared here. For now the roster's users, background jobs and imports
// live here too, until they move into packages of their own. It knows nothing of
// DynamoDB, SES or HTTP; the technology subpackages translate between those
// and the types defined here.
package roster
