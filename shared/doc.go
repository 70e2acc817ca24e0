// Package roster is the kernel of Roster's domain: errors, ids and tokens,
// the clock, organizations, the User model with its states, statuses and
// actions, filters, the audit entry model, a user's course assignments
// and the course and seat-shortage types they name, what jobs keep of an
// import (its options and rows), and the ports for email and files. The
// domain packages under it (accounts, groups, audit, exports, reminders,
// training, imports) each hold their own rules, service and narrow store
// port; users and jobs reach training and imports through the Training
// and ImportSteps ports declared here. For now the roster's users and
// background jobs live here too, until they move into packages of their
// own. It knows nothing of
// DynamoDB, SES or HTTP; the technology subpackages translate between those
// and the types defined here.
package roster
