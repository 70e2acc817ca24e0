package roster

import (
	"strings"
	"testing"
	"time"
)

func TestUser_Status(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	tests := []struct {
		name   string
		user   User
		want   Status
		access bool
	}{
		{"pending", User{State: StatePending}, StatusPending, false},
		{"activated", User{State: StateActivated}, StatusActivated, true},
		{"active", User{State: StateActive}, StatusActive, true},
		{"deactivated", User{State: StateDeactivated}, StatusDeactivated, false},
		{"expiry passed", User{State: StateActive, ExpiresAt: &past}, StatusExpired, false},
		{"expiry is now", User{State: StateActive, ExpiresAt: &now}, StatusExpired, false},
		{"expiry ahead", User{State: StateActive, ExpiresAt: &future}, StatusActive, true},
		{"archived wins over expired", User{State: StateActive, ExpiresAt: &past, ArchivedAt: &past}, StatusArchived, false},
		{"deactivated wins over expired", User{State: StateDeactivated, ExpiresAt: &past}, StatusDeactivated, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.user.Status(now); got != tt.want {
				t.Errorf("Status() = %q, want %q", got, tt.want)
			}
			if got := tt.user.HasAccess(now); got != tt.access {
				t.Errorf("HasAccess() = %v, want %v", got, tt.access)
			}
		})
	}
}

func TestUser_Validate(t *testing.T) {
	valid := func() User {
		return User{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Role: RoleLearner, State: StatePending}
	}
	tests := []struct {
		name      string
		change    func(*User)
		wantField string
	}{
		{"valid", func(*User) {}, ""},
		{"user ID only", func(u *User) { u.Email, u.UserID = "", "EMP-001" }, ""},
		{"no first name", func(u *User) { u.FirstName = "  " }, "firstName"},
		{"long last name", func(u *User) { u.LastName = strings.Repeat("x", MaxNameLength+1) }, "lastName"},
		{"control character", func(u *User) { u.LastName = "a\x00b" }, "lastName"},
		{"bad email", func(u *User) { u.Email = "not-an-email" }, "email"},
		{"email with a display name", func(u *User) { u.Email = "Ada <ada@example.com>" }, "email"},
		{"email without a domain dot", func(u *User) { u.Email = "ada@localhost" }, "email"},
		{"neither email nor user ID", func(u *User) { u.Email = "" }, "email"},
		{"user ID with a space", func(u *User) { u.UserID = "a b" }, "userId"},
		{"user ID like an email", func(u *User) { u.UserID = "a@b.example" }, "userId"},
		{"unknown role", func(u *User) { u.Role = "boss" }, "role"},
		{"too many groups", func(u *User) { u.GroupIDs = make([]string, MaxGroupsPerUser+1) }, "groupIds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := valid()
			tt.change(&u)
			err := u.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid || e.Field != tt.wantField {
				t.Fatalf("Validate() = %#v, want invalid %q", err, tt.wantField)
			}
		})
	}
}
