package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rosterhq/roster/shared/reminders"
)

// sendReminders is one run of the daily reminders (Reminders.SendReminders).
type sendReminders func(ctx context.Context) (reminders.Report, error)

// runReminders runs the reminders now and then every interval until ctx
// ends, as the daily schedule does in AWS; a run repeated the same day
// sends nothing twice. An interval of 0 runs them only on request.
func runReminders(ctx context.Context, send sendReminders, interval time.Duration, log *slog.Logger) {
	if interval <= 0 {
		return
	}
	for {
		if _, err := send(ctx); err != nil && ctx.Err() == nil {
			log.Error("reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// remindersHandler runs the reminders once (POST /dev/reminders, what
// `make reminders` calls) and answers with the run's counts. Like every
// POST of the API, it refuses a request from another site.
func remindersHandler(send sendReminders) http.Handler {
	protect := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := protect.Check(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		rep, err := send(r.Context())
		if err != nil {
			http.Error(w, "the reminders failed: see the dev server's log", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(rep)
	})
}

// State is what a running dev server leaves in its state file, so that
// commands such as `make reminders` find it.
type State struct {
	URL string `json:"url"` // the API and front end, http://127.0.0.1:<port>
	PID int    `json:"pid"`
}

// writeState records the running server in path; the returned function
// removes it.
func writeState(path string, st State) (remove func(), err error) {
	data, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return func() { os.Remove(path) }, nil
}

// RunReminders asks the dev server recorded in stateFile to run the
// reminders once, and writes what they did to out.
func RunReminders(ctx context.Context, stateFile string, out io.Writer) error {
	data, err := os.ReadFile(stateFile)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no dev server is running (no %s): start it with `make run`", stateFile)
	}
	if err != nil {
		return err
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil || st.URL == "" {
		return fmt.Errorf("%s is not a dev server's state: stop the dev server and start it again", stateFile)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.URL+"/dev/reminders", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the dev server at %s does not answer (%w): start it with `make run`", st.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the dev server answered %s: %s", res.Status, body)
	}
	var rep reminders.Report
	if err := json.Unmarshal(body, &rep); err != nil {
		return fmt.Errorf("the dev server's answer: %w", err)
	}
	fmt.Fprintf(out, "Reminders: %d learners and %d administrators (digests) emailed, %d already sent today, %d failed, in %d organizations with training due.\nSee them at %s/dev/mailbox\n",
		rep.Learners, rep.Digests, rep.AlreadySent, rep.Failed, rep.Organizations, st.URL)
	return nil
}
