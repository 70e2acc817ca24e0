package roster

import "testing"

func TestRole_Grants(t *testing.T) {
	for _, tc := range []struct {
		role, needed Role
		want         bool
	}{
		{RoleOwner, RoleOwner, true}, {RoleOwner, RoleAdmin, true}, {RoleOwner, RoleLearner, true},
		{RoleAdmin, RoleOwner, false}, {RoleAdmin, RoleAdmin, true}, {RoleAdmin, RoleLearner, true},
		{RoleLearner, RoleOwner, false}, {RoleLearner, RoleAdmin, false}, {RoleLearner, RoleLearner, true},
		{"", RoleLearner, false}, {"superuser", RoleAdmin, false},
	} {
		if got := tc.role.Grants(tc.needed); got != tc.want {
			t.Errorf("%q.Grants(%q) = %v, want %v", tc.role, tc.needed, got, tc.want)
		}
	}
}

func TestImportRowsNeed(t *testing.T) {
	learner, admin, owner := RoleLearner, RoleAdmin, RoleOwner
	for _, tc := range []struct {
		name string
		rows []ImportRow
		want Role
	}{
		{"no rows", nil, RoleAdmin},
		{"no role column", []ImportRow{{}, {}}, RoleAdmin},
		{"learners only", []ImportRow{{Role: &learner}}, RoleAdmin},
		{"one admin", []ImportRow{{Role: &learner}, {Role: &admin}}, RoleOwner},
		{"one owner", []ImportRow{{Role: &owner}}, RoleOwner},
	} {
		if got := importRowsNeed(tc.rows); got != tc.want {
			t.Errorf("%s: importRowsNeed = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestActionRight(t *testing.T) {
	for _, tc := range []struct {
		a      Action
		params ActionParams
		want   string
	}{
		{ActionSetRole, ActionParams{Role: RoleOwner}, "change roles to owner"},
		{ActionArchive, ActionParams{}, "archive users"},
		{ActionApprove, ActionParams{Notify: true}, "approve and notify users"},
		{ActionImport, ActionParams{}, "import users"},
	} {
		if got := actionRight(tc.a, tc.params); got != tc.want {
			t.Errorf("actionRight(%s) = %q, want %q", tc.a, got, tc.want)
		}
	}
	for _, a := range Actions {
		if got := actionRight(a, ActionParams{Role: RoleAdmin}); got == "" || got[0] == ' ' {
			t.Errorf("actionRight(%s) = %q", a, got)
		}
	}
}
