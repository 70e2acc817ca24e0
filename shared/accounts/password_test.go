package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"strings"
	"testing"
)

// testArgon2 keeps unit tests fast; production uses OWASPArgon2.
var testArgon2 = Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

func TestHashPassword(t *testing.T) {
	hash, err := HashPassword("correct horse battery", testArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q, want the PHC argon2id format with its parameters", hash)
	}
	for _, tt := range []struct {
		password string
		want     bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		got, err := VerifyPassword(tt.password, hash)
		if err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
	other, _ := HashPassword("correct horse battery", testArgon2)
	if other == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyPassword_MalformedHash(t *testing.T) {
	for _, hash := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=x$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if ok, err := VerifyPassword("pw", hash); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error and no match", hash, ok, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	u := &roster.User{Email: "ada@example.com", UserID: "ada-lovelace"}
	tests := []struct {
		password string
		ok       bool
	}{
		{"short", false},
		{"eight ch", true},
		{strings.Repeat("x", MaxPasswordLength), true},
		{strings.Repeat("x", MaxPasswordLength+1), false},
		{"ADA@example.com", false},
		{"ada-lovelace1", true},
		{"ADA-Lovelace", false},
	}
	for _, tt := range tests {
		if err := ValidatePassword("password", tt.password, u); (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
		}
	}
}
