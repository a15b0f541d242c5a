package okta

import (
	"errors"
	"net/url"
	"strings"
)

// OrgURLOptions relax ParseOrgURL.
type OrgURLOptions struct {
	AllowHTTP     bool     // accept http:// when the host is a loopback address
	CustomDomains []string // hosts accepted in addition to Okta's org domains
}

// ParseOrgURL validates an org URL or bare host and returns its base URL
// (scheme://host, no path). It is the SSRF guard for every outbound request.
// NOTE(skeleton): minimal checks; issue #2 completes them.
func ParseOrgURL(raw string, opts OrgURLOptions) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("okta: org URL is empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("okta: org URL is not a valid URL")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
