package app

import "testing"

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
