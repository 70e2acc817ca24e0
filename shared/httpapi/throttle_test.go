// Tests of the throttles under concurrency and of the daily email quota.
// This file runs after api_test.go and signin_test.go: moto keeps every
// email of the package, so these tests count only their own recipients'.

package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

// postAll sends the n bodies at once from c (sharing its cookies) and
// returns each answer, or the error of its request. It never touches a
// testing.T: the caller asserts on its own goroutine.
func (c *client) postAll(path string, bodies []any) ([]response, []error) {
	responses := make([]response, len(bodies))
	errs := make([]error, len(bodies))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, body := range bodies {
		wg.Go(func() {
			j, err := json.Marshal(body)
			if err != nil {
				errs[i] = err
				return
			}
			req, err := http.NewRequest("POST", c.base+path, bytes.NewReader(j))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/json")
			<-start
			resp, err := c.http.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			responses[i], errs[i] = response{status: resp.StatusCode, header: resp.Header, body: b}, err
		})
	}
	close(start)
	wg.Wait()
	return responses, errs
}

// statusCounts fails t on any request error and counts the answers by status.
func statusCounts(t *testing.T, responses []response, errs []error) map[int]int {
	t.Helper()
	counts := map[int]int{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		counts[responses[i].status]++
	}
	return counts
}

// repeat returns body n times.
func repeat(body any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = body
	}
	return out
}

// wantCounts compares the answers by status with want.
func wantCounts(t *testing.T, got, want map[int]int) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("answers by status = %v, want %v", got, want)
	}
}

// TestAPI_ThrottlesUnderConcurrency sends 40 attempts at once against
// limits of 10 (and 5 and 30): each attempt is counted before it is
// checked, so exactly the limit is checked and the rest are refused.
func TestAPI_ThrottlesUnderConcurrency(t *testing.T) {
	s := newServer(t)
	s.app.Service.ForgotMinDuration = 0
	s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Sam", LastName: "Secure", Email: "sam@mine.example"}, "sam's password")

	t.Run("sign-in: 40 wrong passwords at once, 10 checked", func(t *testing.T) {
		s.at(time.Minute)
		c := s.client(t)
		wrong := map[string]string{"org": "mine", "login": "sam@mine.example", "password": "a wrong guess"}
		responses, errs := c.postAll("/api/auth/login", repeat(wrong, 40))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{401: 10, 429: 30})
		right := map[string]string{"org": "mine", "login": "sam@mine.example", "password": "sam's password"}
		r := c.on(t).want(c.do("POST", "/api/auth/login", right), 429)
		if msg := errorMessage(t, r); msg != "too many sign-in attempts: try again in 14 minutes" || r.header.Get("Retry-After") != "840" {
			t.Errorf("message %q, Retry-After %q", msg, r.header.Get("Retry-After"))
		}
	})
	t.Run("sign-in: 40 right passwords at once all count nothing", func(t *testing.T) {
		s.at(roster.ThrottleWindow + time.Minute)
		c := s.client(t)
		right := map[string]string{"org": "mine", "login": "sam@mine.example", "password": "sam's password"}
		// An attempt holds its place while it is checked, so some of 40 at
		// once may be refused; once they are done, every place is back.
		responses, errs := c.postAll("/api/auth/login", repeat(right, 40))
		counts := statusCounts(t, responses, errs)
		if counts[200] < 10 || counts[200]+counts[429] != 40 {
			t.Errorf("answers by status = %v, want at least 10 of 200 and the rest 429", counts)
		}
		wrong := map[string]string{"org": "mine", "login": "sam@mine.example", "password": "a wrong guess"}
		responses, errs = c.postAll("/api/auth/login", repeat(wrong, 12))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{401: 10, 429: 2})
	})
	t.Run("change password: 40 wrong current passwords at once, 10 checked", func(t *testing.T) {
		s.at(2*roster.ThrottleWindow + time.Minute)
		c, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		wrong := map[string]string{"currentPassword": "a wrong guess", "newPassword": "a brand new one"}
		responses, errs := c.postAll("/api/me/password", repeat(wrong, 40))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{422: 10, 429: 30})
		right := map[string]string{"currentPassword": "sam's password", "newPassword": "a brand new one"}
		r := c.on(t).want(c.do("POST", "/api/me/password", right), 429)
		if msg := errorMessage(t, r); msg != "too many wrong passwords: try again in 14 minutes" {
			t.Errorf("message = %q", msg)
		}
	})
	t.Run("change password: a right one gives its place back", func(t *testing.T) {
		s.at(3*roster.ThrottleWindow + time.Minute)
		c, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "sam's password", "newPassword": "a brand new one"}), 200)
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "a brand new one", "newPassword": "sam's password"}), 200)
		wrong := map[string]string{"currentPassword": "a wrong guess", "newPassword": "a brand new one"}
		responses, errs := c.postAll("/api/me/password", repeat(wrong, 11))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{422: 10, 429: 1})
	})
	t.Run("reset requests: 40 at once for one login, 5 taken", func(t *testing.T) {
		s.at(4*roster.ThrottleWindow + time.Minute)
		c := s.client(t)
		body := map[string]string{"org": "mine", "login": "sam@mine.example"}
		responses, errs := c.postAll("/api/auth/password/forgot", repeat(body, 40))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{202: 5, 429: 35})
		if _, n := s.emailedLink(t, "sam@mine.example", "reset-password"); n != 5 {
			t.Errorf("%d reset emails, want 5", n)
		}
	})
	t.Run("reset requests: 40 at once from one address, 30 taken", func(t *testing.T) {
		s.at(5*roster.ThrottleWindow + time.Minute)
		c := s.client(t)
		bodies := make([]any, 40)
		for i := range bodies {
			bodies[i] = map[string]string{"org": "mine", "login": fmt.Sprintf("ghost%d@mine.example", i)}
		}
		responses, errs := c.postAll("/api/auth/password/forgot", bodies)
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{202: 30, 429: 10})
	})
}
