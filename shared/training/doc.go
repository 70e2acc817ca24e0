// Package training holds courses and their seat pools and ledgers, a
// learner's training (My training, start, complete), training records, and
// the checks users, jobs and imports ask of training before they write
// (Service is the root package's roster.Training). It holds the rules of
// enrollments and seats as pure functions: given a user's write, or a user
// archived or deleted, and the enrollments as read, they return a plan of
// what must change — the enrollments to put, update or delete, the seats to
// reserve, release or use, and the ledger entries that record each
// movement, in words. They also say what a failed condition means when that
// is a product decision (already assigned, retired, no seat left). The
// storage adapter (shared/dynamo) turns a plan into items, conditions and
// transactions and decides nothing; docs/training.md describes the rules.
package training
