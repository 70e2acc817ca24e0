// Tests of the throttles under concurrency and of the daily email quota.
// This file runs after api_test.go and signin_test.go: moto keeps every
// email of the package, so these tests count only their own recipients'.

package httpapi_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

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
	s.app.Accounts.ForgotMinDuration = 0
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
		s.at(accounts.ThrottleWindow + time.Minute)
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
		s.at(2*accounts.ThrottleWindow + time.Minute)
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
		s.at(3*accounts.ThrottleWindow + time.Minute)
		c, _ := s.signInAs(t, "sam@mine.example", "sam's password")
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "sam's password", "newPassword": "a brand new one"}), 200)
		c.on(t).want(c.do("POST", "/api/me/password", map[string]string{"currentPassword": "a brand new one", "newPassword": "sam's password"}), 200)
		wrong := map[string]string{"currentPassword": "a wrong guess", "newPassword": "a brand new one"}
		responses, errs := c.postAll("/api/me/password", repeat(wrong, 11))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{422: 10, 429: 1})
	})
	t.Run("reset requests: 40 at once for one login, 5 taken", func(t *testing.T) {
		s.at(4*accounts.ThrottleWindow + time.Minute)
		c := s.client(t)
		body := map[string]string{"org": "mine", "login": "sam@mine.example"}
		responses, errs := c.postAll("/api/auth/password/forgot", repeat(body, 40))
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{202: 5, 429: 35})
		if _, n := s.emailedLink(t, "sam@mine.example", "reset-password"); n != 5 {
			t.Errorf("%d reset emails, want 5", n)
		}
	})
	t.Run("reset requests: 40 at once from one address, 30 taken", func(t *testing.T) {
		s.at(5*accounts.ThrottleWindow + time.Minute)
		c := s.client(t)
		bodies := make([]any, 40)
		for i := range bodies {
			bodies[i] = map[string]string{"org": "mine", "login": fmt.Sprintf("ghost%d@mine.example", i)}
		}
		responses, errs := c.postAll("/api/auth/password/forgot", bodies)
		wantCounts(t, statusCounts(t, responses, errs), map[int]int{202: 30, 429: 10})
	})
}

// TestAPI_DailyEmailQuota runs an organization out of a quota of 3 emails:
// each kind of invitation and reset email counts, the one that would pass it
// is refused with 429 naming the quota (or skipped, user by user, in a bulk
// action and a job), forgot-password still answers 202 {} and sends nothing,
// and the next UTC day has a new quota.
func TestAPI_DailyEmailQuota(t *testing.T) {
	s := newServer(t)
	s.app.Accounts.DailyEmailQuota = 3
	s.app.Accounts.ForgotMinDuration = 0
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)
	now := day.Add(10 * time.Hour) // 14 hours before the day ends
	s.clock.Set(now)
	owner := s.signIn(t, s.mine)
	anon := s.client(t)
	const refused = "daily email quota of 3 reached; try again tomorrow"
	learners := make([]*roster.User, 4)
	for i := range learners {
		learners[i] = s.mine.AddUser(t, s.app.Store, &roster.User{FirstName: "Quota", LastName: fmt.Sprint(i), Email: fmt.Sprintf("quota%d@mine.example", i)}, "")
	}
	invitations := func() (n int) {
		for _, u := range learners {
			_, k := s.emailedLink(t, u.Email, "invitation")
			n += k
		}
		return n
	}
	wantQuota := func(t *testing.T, r response) {
		t.Helper()
		if r.status != 429 || errorMessage(t, r) != refused || r.header.Get("Retry-After") != "50400" {
			t.Errorf("status %d, message %q, Retry-After %q; want 429, %q, 50400 (14 hours to midnight UTC)", r.status, errorMessage(t, r), r.header.Get("Retry-After"), refused)
		}
	}

	t.Run("emails count until the quota; the rest are skipped user by user", func(t *testing.T) {
		owner.on(t).want(owner.do("POST", "/api/users", map[string]any{"firstName": "Ivy", "lastName": "Quota", "email": "ivy.quota@mine.example", "approve": true, "notify": true}), 201)
		ids := []string{learners[0].ID, learners[1].ID, learners[2].ID, learners[3].ID}
		res := owner.on(t).want(owner.do("POST", "/api/users/actions/notify", map[string]any{"userIds": ids}), 200).json(t)
		if res["done"] != 2.0 || res["skipped"] != 2.0 {
			t.Fatalf("notify 4 with 2 emails left: %v, want 2 done and 2 skipped", res)
		}
		for _, o := range res["results"].([]any) {
			if o := o.(map[string]any); o["outcome"] == "skipped" && o["reason"] != refused {
				t.Errorf("skipped with reason %q, want %q", o["reason"], refused)
			}
		}
		if n := invitations(); n != 2 {
			t.Errorf("%d invitations went out, want 2", n)
		}
	})
	t.Run("used up: notify, add and notify, reset are refused with 429", func(t *testing.T) {
		wantQuota(t, owner.on(t).do("POST", "/api/users/actions/notify", map[string]any{"userIds": []string{learners[3].ID}}))
		wantQuota(t, owner.on(t).do("POST", "/api/users", map[string]any{"firstName": "Nora", "lastName": "Quota", "email": "nora.quota@mine.example", "approve": true, "notify": true}))
		// Nothing was written: the same address can be added without an email.
		owner.on(t).want(owner.do("POST", "/api/users", map[string]any{"firstName": "Nora", "lastName": "Quota", "email": "nora.quota@mine.example", "approve": true}), 201)
		wantQuota(t, owner.on(t).do("POST", "/api/users/"+learners[3].ID+"/password-reset", nil))
		if n := invitations(); n != 2 {
			t.Errorf("%d invitations went out, want still 2", n)
		}
	})
	t.Run("used up: forgot-password answers 202 {} and sends nothing", func(t *testing.T) {
		r := anon.on(t).want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": learners[3].Email}), 202)
		if string(bytes.TrimSpace(r.body)) != "{}" {
			t.Errorf("body = %s, want {}", r.body)
		}
		if _, n := s.emailedLink(t, learners[3].Email, "reset-password"); n != 0 {
			t.Errorf("%d reset emails past the quota, want 0", n)
		}
	})
	t.Run("used up: an import's row is saved, its invitation not sent", func(t *testing.T) {
		c := owner.on(t)
		path, _, preview := uploadCSV(t, c, "quota.csv", "First name,Last name,Email,Approved,Notify\nImo,Quota,imo.quota@mine.example,Yes,Yes\n")
		id := apply(t, c, path, preview)
		s.runJobs(t)
		job := c.want(c.do("GET", "/api/jobs/"+id, nil), 200).json(t)
		if job["status"] != "done" || job["done"] != 1.0 {
			t.Fatalf("import job = %v, want done with its row saved", job)
		}
		if _, n := s.emailedLink(t, "imo.quota@mine.example", "invitation"); n != 0 {
			t.Errorf("%d invitations past the quota, want 0", n)
		}
	})
	t.Run("another organization has its own quota", func(t *testing.T) {
		theirs := s.signIn(t, s.theirs)
		theirs.on(t).want(theirs.do("POST", "/api/users", map[string]any{"firstName": "Tia", "lastName": "Quota", "email": "tia.quota@theirs.example", "approve": true, "notify": true}), 201)
		if _, n := s.emailedLink(t, "tia.quota@theirs.example", "invitation"); n != 1 {
			t.Errorf("%d invitations to another organization's user, want 1", n)
		}
	})
	t.Run("the next day: a new quota; a job reports each user past it", func(t *testing.T) {
		now = now.Add(24 * time.Hour)
		s.clock.Set(now)
		owner := s.signIn(t, s.mine) // the earlier session has expired
		anon.on(t).want(anon.do("POST", "/api/auth/password/forgot", map[string]string{"org": "mine", "login": learners[3].Email}), 202)
		if _, n := s.emailedLink(t, learners[3].Email, "reset-password"); n != 1 {
			t.Errorf("%d reset emails the next day, want 1", n)
		}
		s.app.Service.JobThreshold = 2
		group := s.mine.GroupIDs[0]
		for i := range 4 {
			owner.on(t).want(owner.do("POST", "/api/users", map[string]any{"firstName": "Job", "lastName": fmt.Sprint(i), "email": fmt.Sprintf("job%d.quota@mine.example", i), "approve": true, "groupIds": []string{group}}), 201)
		}
		s.settle(t)
		started := owner.on(t).want(owner.do("POST", "/api/users/actions/notify", map[string]any{"filter": map[string]any{"group": group}, "expectedCount": 4}), 202).json(t)
		id, _ := started["job"].(map[string]any)["id"].(string)
		s.runJobs(t)
		job := owner.on(t).want(owner.do("GET", "/api/jobs/"+id, nil), 200).json(t)
		if job["status"] != "done" || job["done"] != 2.0 || job["skipped"] != 2.0 {
			t.Fatalf("job = %v, want done with 2 done and 2 skipped", job)
		}
		page := owner.on(t).want(owner.do("GET", "/api/jobs/"+id+"/outcomes?result=skipped", nil), 200).json(t)
		items, _ := page["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("skipped outcomes = %v, want 2", page)
		}
		for _, it := range items {
			if reason := it.(map[string]any)["reason"]; reason != refused {
				t.Errorf("skipped with reason %q, want %q", reason, refused)
			}
		}
		wantQuota(t, owner.on(t).do("POST", "/api/users/actions/notify", map[string]any{"filter": map[string]any{"group": group}, "expectedCount": 4}))
	})
}
