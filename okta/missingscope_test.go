package okta

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMissingScopeFromChallenge(t *testing.T) {
	okta := `Bearer authorization_uri="http://dev-1.okta.com/oauth2/v1/authorize", realm="http://dev-1.okta.com", scope="okta.groups.manage", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"`
	tests := []struct {
		name   string
		status int
		hdr    []string
		want   string
	}{
		{"okta's challenge", 403, []string{okta}, "okta.groups.manage"},
		{"dpop scheme", 403, []string{`DPoP algs="RS256 ES256", scope="okta.users.read", error="insufficient_scope"`}, "okta.users.read"},
		{"unquoted", 403, []string{`Bearer error=insufficient_scope, scope=okta.logs.read`}, "okta.logs.read"},
		{"other error", 403, []string{`Bearer error="invalid_token", scope="okta.users.read"`}, ""},
		{"no header", 403, nil, ""},
		{"not a 403", 401, []string{okta}, ""},
		{"basic challenge first", 403, []string{`Basic realm="x"`, okta}, "okta.groups.manage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.hdr {
				h.Add("WWW-Authenticate", v)
			}
			e := newError(tt.status, h, []byte(`{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}`), "POST", "/api/v1/groups")
			assert.Equal(t, tt.want, e.MissingScope)
			if tt.want != "" {
				assert.Contains(t, e.Error(), "lacks the scope "+tt.want)
			}
		})
	}
}
