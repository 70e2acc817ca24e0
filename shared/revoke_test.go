package roster

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRevocationOf(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	active := User{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Role: RoleLearner, State: StateActive}
	with := func(base User, f func(*User)) User { f(&base); return base }
	deactivated := with(active, func(u *User) { u.State = StateDeactivated })
	archived := with(active, func(u *User) { u.ArchivedAt = &past })
	expired := with(active, func(u *User) { u.ExpiresAt = &past }) // passed with no write
	admin := with(active, func(u *User) { u.Role = RoleAdmin })
	owner := with(active, func(u *User) { u.Role = RoleOwner })
	pending := with(active, func(u *User) { u.State = StatePending })
	tests := []struct {
		name          string
		before, after User
		want          Revocation
	}{
		{"deactivate", active, deactivated, Revocation{EndSessions: true}},
		{"archive", active, archived, Revocation{EndSessions: true}},
		{"archive a deactivated user", deactivated, with(deactivated, func(u *User) { u.ArchivedAt = &now }), Revocation{}},
		{"expiration date in the past", active, expired, Revocation{EndSessions: true}},
		{"expiration date in the future", active, with(active, func(u *User) { u.ExpiresAt = &future }), Revocation{}},
		{"owner to admin", owner, with(owner, func(u *User) { u.Role = RoleAdmin }), Revocation{EndSessions: true}},
		{"owner to learner", owner, active, Revocation{EndSessions: true}},
		{"admin to learner", admin, active, Revocation{EndSessions: true}},
		{"learner to admin", active, admin, Revocation{}},
		{"admin to owner", admin, owner, Revocation{}},
		{"reactivate", deactivated, active, Revocation{EndSessions: true}},
		{"unarchive", archived, active, Revocation{EndSessions: true}},
		{"expired by time, date cleared", expired, active, Revocation{EndSessions: true}},
		{"expired by time, date moved on", expired, with(active, func(u *User) { u.ExpiresAt = &future }), Revocation{EndSessions: true}},
		{"expired by time, name changed", expired, with(expired, func(u *User) { u.FirstName = "Augusta" }), Revocation{}},
		{"approve: never had a session", pending, with(active, func(u *User) { u.State = StateActivated }), Revocation{}},
		{"approve a pending user whose date passed, date moved on", with(pending, func(u *User) { u.ExpiresAt = &past }), with(active, func(u *User) { u.State, u.ExpiresAt = StateActivated, &future }), Revocation{}},
		{"first course start", with(active, func(u *User) { u.State = StateActivated }), active, Revocation{}},
		{"unrelated edit", active, with(active, func(u *User) { u.LastName = "King"; u.GroupIDs = []string{"g1"} }), Revocation{}},
		{"email changed", active, with(active, func(u *User) { u.Email = "ada@example.org" }), Revocation{RetireLinks: true}},
		{"email removed", active, with(active, func(u *User) { u.Email, u.UserID = "", "ada" }), Revocation{RetireLinks: true}},
		{"email in other letters", active, with(active, func(u *User) { u.Email = "Ada@Example.com" }), Revocation{}},
		{"email changed and deactivated", active, with(deactivated, func(u *User) { u.Email = "ada@example.org" }), Revocation{EndSessions: true, RetireLinks: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RevocationOf(&tt.before, &tt.after, now); got != tt.want {
				t.Errorf("RevocationOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRevocation_Apply(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	t.Run("moves what it revokes to now", func(t *testing.T) {
		u := User{SessionsEndedAt: &earlier}
		Revocation{RetireLinks: true}.Apply(&u, now)
		if !SameTime(u.SessionsEndedAt, &earlier) || !SameTime(u.LinksRetiredAt, &now) {
			t.Errorf("sessions ended %v, links retired %v; want %v and %v", u.SessionsEndedAt, u.LinksRetiredAt, earlier, now)
		}
		Revocation{EndSessions: true}.Apply(&u, now.Add(time.Second))
		if got, want := u.SessionsEndedAt, now.Add(time.Second); !SameTime(got, &want) {
			t.Errorf("sessions ended %v, want %v", got, want)
		}
	})
	t.Run("a clock that has not moved still moves the stamp", func(t *testing.T) {
		u := User{SessionsEndedAt: &now}
		Revocation{EndSessions: true}.Apply(&u, now)
		if !u.SessionsEndedAt.After(now) {
			t.Errorf("sessions ended %v, want after %v: the sessions opened under %v would live on", u.SessionsEndedAt, now, now)
		}
	})
	t.Run("nothing to revoke changes nothing", func(t *testing.T) {
		u := User{}
		Revocation{}.Apply(&u, now)
		if u.SessionsEndedAt != nil || u.LinksRetiredAt != nil {
			t.Errorf("user = %+v, want no stamps", u)
		}
	})
}

func TestService_revoking(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s := &Service{Now: func() time.Time { return now }}
	u := User{Email: "ada@example.com", Role: RoleLearner, State: StateActive}
	change := s.revoking(func(u *User) error { u.State = StateDeactivated; return nil })
	if err := change(&u); err != nil {
		t.Fatal(err)
	}
	if !SameTime(u.SessionsEndedAt, &now) {
		t.Errorf("sessions ended %v, want %v", u.SessionsEndedAt, now)
	}
	refused := s.revoking(func(u *User) error { u.State = StateActive; return &Skip{Reason: "no"} })
	if err := refused(&u); err == nil {
		t.Error("the change's error was not returned")
	}
}

// TestRevoking_EveryUserWrite reads the source of the package and of the
// domain packages under it: every call of
// s.Store.UpdateUser, and every call of a UserWriter (how actions, jobs and
// imports write a user), must take its change through Revoking, so that a
// new path that writes users cannot forget to end sessions or retire links.
// The password writes (SetPassword, EndSessions) move the stamps
// themselves, and a learner's own course step (StepEnrollment) changes no
// access.
func TestRevoking_EveryUserWrite(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	domains, err := filepath.Glob("*/*.go") // the domain packages write users too
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, domains...)
	isRevoking := func(e ast.Expr) bool {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		switch f := call.Fun.(type) {
		case *ast.SelectorExpr: // s.revoking, roster.Revoking
			return f.Sel.Name == "revoking" || f.Sel.Name == "Revoking"
		case *ast.Ident:
			return f.Name == "Revoking"
		}
		return false
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			writers := map[string]bool{} // parameters of type UserWriter
			wrapped := map[string]bool{} // changes wrapped by s.revoking, or by the caller (a change parameter passed on)
			for _, field := range fn.Type.Params.List {
				if id, ok := field.Type.(*ast.Ident); ok && id.Name == "UserWriter" {
					for _, n := range field.Names {
						writers[n.Name] = true
					}
				}
				if _, ok := field.Type.(*ast.FuncType); ok {
					for _, n := range field.Names {
						wrapped[n.Name] = true
					}
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && isRevoking(as.Rhs[0]) {
					if id, ok := as.Lhs[0].(*ast.Ident); ok {
						wrapped[id.Name] = true
					}
				}
				return true
			})
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var callee string
				switch f := call.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.SelectorExpr); ok && x.Sel.Name == "Store" && f.Sel.Name == "UpdateUser" {
						callee = "Store.UpdateUser"
					}
				case *ast.Ident:
					if writers[f.Name] {
						callee = f.Name
					}
				}
				if callee == "" {
					return true
				}
				checked++
				last := call.Args[len(call.Args)-1]
				if id, ok := last.(*ast.Ident); ok && wrapped[id.Name] || isRevoking(last) {
					return true
				}
				t.Errorf("%s: the change given to %s does not go through s.revoking", fset.Position(call.Pos()), callee)
				return true
			})
		}
	}
	if checked < 5 {
		t.Errorf("found %d user writes to check, want at least 5: has the code moved?", checked)
	}
}
