package roster

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// TokenBytes is the entropy of session and link tokens: 256 random bits.
const TokenBytes = 32

// NewToken returns a random URL-safe token of TokenBytes bytes from r.
func NewToken(r io.Reader) (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("new token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns the hex SHA-256 of a token: what the store keeps, so a
// copy of the table holds no usable token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewRandomID returns a random identifier of 26 lower-case letters and digits
// (at least 128 random bits), for records that need an id nobody can guess.
func NewRandomID() string { return strings.ToLower(rand.Text()) }
