package auth

import (
	"regexp"
	"testing"
)

func TestDeviceLabel(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36":    "Chrome / Android",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0":     "Edge / Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/604.1": "Safari / iPhone",
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0":                                                    "Firefox / Linux",
		"curl/8.5.0": "curl",
		"":           "",
		"a-very-long-client-name-that-goes-on-and-on-and-on/1.0": "a-very-long-client-name-that-goes-on-and",
	} {
		if got := DeviceLabel(ua); got != want {
			t.Errorf("DeviceLabel(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestNewPublicID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id, err := NewPublicID()
		if err != nil || !regexp.MustCompile(`^t[0-9a-f]{18}$`).MatchString(id) || seen[id] {
			t.Fatalf("public id %q (%v)", id, err)
		}
		seen[id] = true
	}
}
