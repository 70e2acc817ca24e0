package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters of a password hash.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// OWASPArgon2 are the parameters OWASP's Password Storage Cheat Sheet
// recommends as its first argon2id option: 19 MiB, 2 iterations, 1 thread.
var OWASPArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Password length limits: at least 8, and long passphrases welcome.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

const (
	argonSaltLen = 16
	argonKeyLen  = 32
)

// ValidatePassword checks a new password against the length rules and refuses
// one equal to the user's own email or user ID.
func ValidatePassword(field, password string, u *roster.User) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		return roster.Invalid(field, "must be at least %d characters", MinPasswordLength)
	}
	if n > MaxPasswordLength {
		return roster.Invalid(field, "must be at most %d characters", MaxPasswordLength)
	}
	if u != nil {
		lp := strings.ToLower(password)
		if (u.Email != "" && lp == roster.NormalizeEmail(u.Email)) || (u.UserID != "" && lp == roster.NormalizeUserID(u.UserID)) {
			return roster.Invalid(field, "must not be your email or user ID")
		}
	}
	return nil
}

// HashPassword returns the argon2id hash of password in the PHC string format,
// with a fresh random salt.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-formatted hash. A
// malformed hash is an error, never a match.
func VerifyPassword(password, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("verify password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("verify password: unsupported argon2 version")
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("verify password: bad parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("verify password: bad salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("verify password: bad key")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
