package roster

import "time"

// NowFunc returns the current time; injected so tests control the clock.
type NowFunc func() time.Time

// DateOf is the UTC date of t as yyyy-mm-dd: reminders, due dates and the
// daily email quota count days in UTC.
func DateOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }
