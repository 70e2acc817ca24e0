package accounts

import (
	roster "github.com/rosterhq/roster/shared"

	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLinkState(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	spent := now.Add(-time.Minute)
	tests := []struct {
		name    string
		link    Link
		latest  bool
		wantNil bool
		want    []string // in the message
	}{
		{"live invitation", Link{Purpose: LinkInvitation, ExpiresAt: now.Add(time.Hour)}, true, true, nil},
		{"live reset", Link{Purpose: LinkPasswordReset, ExpiresAt: now.Add(time.Second)}, true, true, nil},
		{"spent invitation", Link{Purpose: LinkInvitation, ExpiresAt: now.Add(time.Hour), SpentAt: &spent}, true, false, []string{"already used", "administrator"}},
		{"spent reset", Link{Purpose: LinkPasswordReset, ExpiresAt: now.Add(time.Hour), SpentAt: &spent}, true, false, []string{"already used", "sign-in page"}},
		{"expired invitation", Link{Purpose: LinkInvitation, ExpiresAt: now}, true, false, []string{"has expired", "administrator"}},
		{"expired reset", Link{Purpose: LinkPasswordReset, ExpiresAt: now.Add(-time.Hour)}, true, false, []string{"has expired", "sign-in page"}},
		{"superseded", Link{Purpose: LinkInvitation, ExpiresAt: now.Add(time.Hour)}, false, false, []string{"newer link", "administrator"}},
		{"spent and expired says spent", Link{Purpose: LinkPasswordReset, ExpiresAt: now.Add(-time.Hour), SpentAt: &spent}, false, false, []string{"already used"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := linkState(&tt.link, tt.latest, now)
			if tt.wantNil {
				if err != nil {
					t.Fatalf("linkState = %v, want nil", err)
				}
				return
			}
			if !roster.IsCode(err, roster.CodeGone) {
				t.Fatalf("linkState = %v, want gone", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.(*roster.Error).Message, w) {
					t.Errorf("message %q does not say %q", err.(*roster.Error).Message, w)
				}
			}
		})
	}
}

func TestSession_Valid(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ended := now.Add(-time.Hour)
	endedAgain := now.Add(-time.Minute)
	sameInstant := ended.In(time.FixedZone("elsewhere", 3600))
	tests := []struct {
		name        string
		sessionSeen *time.Time
		userEnded   *time.Time
		expires     time.Time
		want        bool
	}{
		{"never ended", nil, nil, now.Add(time.Hour), true},
		{"opened after the last end", &ended, &ended, now.Add(time.Hour), true},
		{"same instant, another zone", &sameInstant, &ended, now.Add(time.Hour), true},
		{"ended since", &ended, &endedAgain, now.Add(time.Hour), false},
		{"ended for the first time since", nil, &ended, now.Add(time.Hour), false},
		{"expired", nil, nil, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Session{ExpiresAt: tt.expires, SessionsEndedAt: tt.sessionSeen}
			if got := s.Valid(&roster.User{SessionsEndedAt: tt.userEnded}, now); got != tt.want {
				t.Errorf("Valid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewOneTimePassword(t *testing.T) {
	// Every byte value maps into the alphabet, evenly: 256 values, 32 letters.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	counts := map[rune]int{}
	for i := 0; i < len(all); i += OneTimePasswordLength {
		p, err := newOneTimePassword(bytes.NewReader(all[i : i+OneTimePasswordLength]))
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != OneTimePasswordLength {
			t.Fatalf("password %q has %d characters, want %d", p, len(p), OneTimePasswordLength)
		}
		for _, r := range p {
			counts[r]++
		}
		if err := ValidatePassword("password", p, nil); err != nil {
			t.Errorf("password %q: %v", p, err)
		}
	}
	if len(oneTimeAlphabet) != 32 || len(counts) != 32 {
		t.Fatalf("alphabet of %d, %d characters used; want 32 each", len(oneTimeAlphabet), len(counts))
	}
	for r, n := range counts {
		if n != 8 || strings.ContainsRune("lo01", r) {
			t.Errorf("character %q: %d times, want 8, and never l, o, 0 or 1", r, n)
		}
	}
	if _, err := newOneTimePassword(bytes.NewReader(nil)); err == nil {
		t.Error("no randomness: want an error")
	}
}

func TestThrottleKeys(t *testing.T) {
	keys := func(kind, org, login, address string) []string {
		var out []string
		for _, th := range throttleKeys(kind, org, login, address, 10, 100) {
			out = append(out, th.key)
		}
		return out
	}
	a := keys("signin", " Mine ", "Ada@Example.com ", "203.0.113.7")
	b := keys("signin", "mine", "ada@example.com", "203.0.113.7")
	if len(a) != 2 || a[0] != b[0] || a[1] != b[1] {
		t.Errorf("keys differ for the same login typed differently: %q, %q", a, b)
	}
	if c := keys("reset", "mine", "ada@example.com", "203.0.113.7"); c[0] == a[0] || c[1] == a[1] {
		t.Error("sign-in and reset share counters")
	}
	if d := keys("signin", "mine", "ada@example.com", ""); len(d) != 1 || d[0] != a[1] {
		t.Errorf("no address: %q, want the account's key alone", d)
	}
	if e := keys("signin", "mine", "ada@example.com", "::ffff:203.0.113.7"); e[0] != a[0] {
		t.Error("an IPv4-mapped IPv6 address counts apart from its IPv4 address")
	}
	v6 := keys("signin", "mine", "ada@example.com", "2001:db8:1:2::7")
	if same := keys("signin", "mine", "ada@example.com", "2001:db8:1:2:ffff:ffff:ffff:ffff"); same[0] != v6[0] {
		t.Error("two addresses of one IPv6 /64 count apart")
	}
	if other := keys("signin", "mine", "ada@example.com", "2001:db8:1:3::7"); other[0] == v6[0] {
		t.Error("two IPv6 /64 prefixes share a counter")
	}
	ts := throttleKeys("signin", "mine", "ada@example.com", "203.0.113.7", 10, 100)
	if ts[0].limit != 100 || ts[1].limit != 10 {
		t.Errorf("limits = %d, %d; want the address's (100) first, then the account's (10)", ts[0].limit, ts[1].limit)
	}
	for _, k := range a {
		if strings.Contains(k, "ada") || strings.Contains(k, "203.0") {
			t.Errorf("key %q holds the login or address in clear", k)
		}
	}
}

func TestAddressSubject(t *testing.T) {
	tests := []struct {
		name, address, want string
	}{
		{"IPv4, whole", "203.0.113.7", "203.0.113.7"},
		{"IPv4 with spaces", " 203.0.113.7 ", "203.0.113.7"},
		{"IPv6, by its /64", "2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3:8d3::/64"},
		{"IPv6, another address of the same /64", "2001:db8:85a3:8d3::1", "2001:db8:85a3:8d3::/64"},
		{"IPv6 spelled in capitals and in full", "2001:0DB8:85A3:08D3:0000:0000:0000:0001", "2001:db8:85a3:8d3::/64"},
		{"IPv6 with a zone", "fe80::1:2:3:4%eth0", "fe80::/64"},
		{"IPv6 loopback", "::1", "::/64"},
		{"IPv4-mapped IPv6 counts as the IPv4 address", "::ffff:1.2.3.4", "1.2.3.4"},
		{"IPv4-mapped IPv6 in hex", "::ffff:102:304", "1.2.3.4"},
		{"empty: no address", "", ""},
		{"malformed: counted under itself", "not-an-ip", "not-an-ip"},
		{"malformed: an address with a port", "203.0.113.7:443", "203.0.113.7:443"},
		{"malformed: IPv6 in brackets", "[2001:db8::1]", "[2001:db8::1]"},
		{"malformed: a CIDR", "2001:db8::/32", "2001:db8::/32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := addressSubject(tt.address); got != tt.want {
				t.Errorf("addressSubject(%q) = %q, want %q", tt.address, got, tt.want)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 3: "3", 999: "999", 1000: "1,000", 2000: "2,000", 12345: "12,345", 1234567: "1,234,567"} {
		if got := roster.Thousands(n); got != want {
			t.Errorf("roster.Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
