package roster

import (
	"context"
	"time"
)

// Throttle bounds how many attempts of one kind a key (a client address, an
// account) may make in a window of time.
type Throttle struct {
	Name   string // the kind of attempt, part of the counter's key
	Limit  int    // attempts allowed per window
	Window time.Duration
}

// ThrottleStore counts attempts.
type ThrottleStore interface {
	// CountAttempt adds one attempt to the counter of key in the fixed
	// window of this length that holds now, and returns the attempts counted
	// in that window so far (this one included) and when the window ends.
	// The counter removes itself (TTL) after the window.
	CountAttempt(ctx context.Context, key string, window time.Duration, now time.Time) (n int, ends time.Time, err error)
}

// Throttle counts an attempt of t by key and refuses it, with how long to
// wait, once the window holds more than t.Limit attempts. what starts the
// message a person reads ("too many registrations from your network").
// The key is stored hashed: counters hold no address or login.
func (s *Service) Throttle(ctx context.Context, t Throttle, key, what string) error {
	n, ends, err := s.Store.CountAttempt(ctx, t.Name+"#"+HashToken(key), t.Window, s.Now())
	if err != nil {
		return err
	}
	if n <= t.Limit {
		return nil
	}
	wait := max(ends.Sub(s.Now()), time.Second)
	return TooMany(wait, "%s: try again in %s", what, minutes(wait))
}

// minutes says a wait as people read it, rounded up to whole minutes.
func minutes(d time.Duration) string {
	return Plural(int((d+time.Minute-1)/time.Minute), "minute")
}
