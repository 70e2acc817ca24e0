package roster_test

import (
	"testing"

	roster "github.com/rosterhq/roster/shared"
)

func TestFileKey(t *testing.T) {
	if got, err := roster.FileKey("o1", "exports", "e1.xlsx"); err != nil || got != "org/o1/exports/e1.xlsx" {
		t.Errorf("Key = %q, %v; want org/o1/exports/e1.xlsx", got, err)
	}
	for _, bad := range [][]string{{"", "x"}, {"o1"}, {"o1", ""}, {"o1", ".."}, {"o1", "a/b"}, {"o/1", "x"}, {"o1", "a\nb"}} {
		if got, err := roster.FileKey(bad[0], bad[1:]...); err == nil {
			t.Errorf("Key(%q) = %q, want an error", bad, got)
		}
	}
}

func TestOwnsFileKey(t *testing.T) {
	for key, want := range map[string]bool{
		"org/o1/exports/e1.xlsx": true,
		"org/o1/x":               true,
		"org/o2/x":               false,
		"org/o10/x":              false,
		"org/o1/":                false,
		"org/o1":                 false,
		"org/o1/../o2/x":         false,
		"org/o1/a//b":            false,
		"exports/e1.xlsx":        false,
		"org/o1/a\\..\\b":        false,
	} {
		if got := roster.OwnsFileKey("o1", key); got != want {
			t.Errorf("OwnsFileKey(o1, %q) = %v, want %v", key, got, want)
		}
	}
}
