package core

import (
	"strings"
	"testing"
)

func TestConfigFromEnv_AppURL(t *testing.T) {
	for _, tt := range []struct {
		value string
		ok    bool
	}{
		{"", true},
		{"https://roster.example.com", true},
		{"https://d111111abcdef8.cloudfront.net/", true},
		{"http://127.0.0.1:8080", true},
		{"https://roster.example.com/app", false},
		{"roster.example.com", false},
		{"ftp://roster.example.com", false},
		{"https://roster.example.com/?x=1", false},
	} {
		t.Run(tt.value, func(t *testing.T) {
			t.Setenv("TABLE_NAME", "roster")
			t.Setenv("APP_URL", tt.value)
			_, err := ConfigFromEnv()
			if (err == nil) != tt.ok {
				t.Errorf("ConfigFromEnv with APP_URL %q: err = %v, want ok %v", tt.value, err, tt.ok)
			}
		})
	}
}

func TestConfigFromEnv_OriginSecret(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		ok          bool
	}{
		{"unset: no CloudFront", "", true},
		{"48 letters and digits", "Zq8m2LkP0x7Vb4Nc9Rt1Wy6Ha3Jd5Gf8Ue2Is0Op7Aa4Bb1C", true},
		{"too short", "short-secret", false},
		{"a space", "Zq8m2LkP0x7Vb4Nc9Rt1Wy6Ha3Jd5Gf8 Ue2Is0Op7Aa4Bb1C", false},
		{"not ASCII", "Zq8m2LkP0x7Vb4Nc9Rt1Wy6Ha3Jd5Gf8Ué2Is0Op7Aa4Bb1C", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TABLE_NAME", "roster")
			t.Setenv("ORIGIN_SECRET", tt.value)
			c, err := ConfigFromEnv()
			if (err == nil) != tt.ok {
				t.Fatalf("ConfigFromEnv with ORIGIN_SECRET %q: err = %v, want ok %v", tt.value, err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), tt.value) {
				t.Errorf("the error %q shows the secret", err)
			}
			if tt.ok && c.OriginSecret != tt.value {
				t.Errorf("OriginSecret = %q, want %q", c.OriginSecret, tt.value)
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		name      string
		env       map[string]string
		wantLimit int64
		wantOK    bool
	}{
		{"1024 MiB function: 90%", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"}, 966367638, true},
		{"256 MiB function", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}, 241591905, true},
		{"GOMEMLIMIT set: the runtime's", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "GOMEMLIMIT": "500MiB"}, 0, false},
		{"not in Lambda", map[string]string{}, 0, false},
		{"not a number", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1GB"}, 0, false},
		{"zero", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "0"}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := memoryLimit(func(k string) string { return tt.env[k] })
			if got != tt.wantLimit || ok != tt.wantOK {
				t.Errorf("memoryLimit = %d, %v, want %d, %v", got, ok, tt.wantLimit, tt.wantOK)
			}
		})
	}
}

func TestConfigFromEnv_DailyEmailQuota(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  int
		ok    bool
	}{
		{"", 0, true}, // the service's default, 2,000
		{"3", 3, true},
		{"2000", 2000, true},
		{"0", 0, false},
		{"-5", 0, false},
		{"lots", 0, false},
	} {
		t.Run(tt.value, func(t *testing.T) {
			t.Setenv("TABLE_NAME", "roster")
			t.Setenv("DAILY_EMAIL_QUOTA", tt.value)
			c, err := ConfigFromEnv()
			if (err == nil) != tt.ok {
				t.Fatalf("ConfigFromEnv with DAILY_EMAIL_QUOTA %q: err = %v, want ok %v", tt.value, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "DAILY_EMAIL_QUOTA") {
				t.Errorf("the error %q does not name the variable", err)
			}
			if c.DailyEmailQuota != tt.want {
				t.Errorf("DailyEmailQuota = %d, want %d", c.DailyEmailQuota, tt.want)
			}
		})
	}
}
