// Package bench measures Roster against DynamoDB Local: `make bench` runs it
// and docs/benchmarks.md keeps the figures with the command that produced them.
// Benchmarks measure; no test here asserts a time.
package bench
