package tools

// Outbound request safety at the tool level (issue 5, "Credentials and
// outbound requests"): hostile org domains, given per call or in the
// X-Okta-Org-URL header, are refused with a clear error before any
// connection; ids and logins that would change a URL path are refused
// before anything is sent. The clients under test get a transport whose
// dialer refuses every non-loopback address and counts its attempts, so
// nothing these tests do can leave the machine.

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// countingTransport counts round trips and dial attempts; its dialer
// refuses anything but loopback IPs (without resolving names).
type countingTransport struct {
	trips, dials, refused atomic.Int64
	rt                    http.RoundTripper
}

var errTestDialRefused = errors.New("test dialer: non-loopback address refused")

func newCountingTransport() *countingTransport {
	ct := &countingTransport{}
	ct.rt = &http.Transport{
		Proxy: nil, // never an environment proxy
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ct.dials.Add(1)
			host, _, err := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
				ct.refused.Add(1)
				return nil, &net.OpError{Op: "dial", Net: network, Err: errTestDialRefused}
			}
			return (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
		},
	}
	return ct
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.trips.Add(1)
	return ct.rt.RoundTrip(r)
}

func (ct *countingTransport) attempts() int64 { return ct.trips.Load() + ct.dials.Load() }

// hostileDomains are org "domains" a prompt injection might send: cloud
// metadata endpoints, loopback and private addresses, URL confusion, admin
// hosts, other schemes, percent-encoding and Unicode look-alikes.
var hostileDomains = []string{
	// cloud metadata
	"169.254.169.254",
	"http://169.254.169.254",
	"https://169.254.169.254/latest/meta-data/iam/",
	"metadata.google.internal",
	"http://metadata.google.internal/computeMetadata/v1/",
	"metadata.google.internal.",
	"[fd00:ec2::254]",
	"100.100.100.200",
	"169.254.169.254.nip.io",
	// loopback and private addresses, in every notation
	"localhost",
	"localhost:8181",
	"http://127.0.0.1:8181",
	"127.0.0.1",
	"127.1",
	"2130706433",
	"0x7f000001",
	"0177.0.0.1",
	"[::1]",
	"[::ffff:127.0.0.1]",
	"0.0.0.0",
	"10.0.0.1",
	"172.16.0.1",
	"192.168.1.1",
	"https://10.0.0.1:443",
	// URL confusion
	"okta.com@evil.example",
	"https://dev-1.okta.com@evil.example",
	"https://dev-1.okta.com:443@evil.example",
	"evil.example#.okta.com",
	"evil.example/.okta.com",
	"evil.example?.okta.com",
	`evil.example\.okta.com`,
	"evil.example;.okta.com",
	"dev-1.okta.com.evil.example",
	"https://dev-1.okta.com/../../evil",
	"//evil.example",
	"dev-1.okta.com\r\nHost: evil.example",
	"evil.example",
	"okta.com",
	"dev-1.okta.com:8443",
	"dev-1.okta.com.",
	// admin-console hosts
	"dev-1-admin.okta.com",
	"https://acme-admin.oktapreview.com",
	// other schemes
	"ftp://dev-1.okta.com",
	"file:///etc/passwd",
	"gopher://dev-1.okta.com",
	"javascript:alert(1)",
	"ws://dev-1.okta.com",
	"http://dev-1.okta.com",
	// percent-encoding
	"dev-1.okta.com%2F@evil.example",
	"evil.example%2F.okta.com",
	"evil.example%23.okta.com",
	"dev-1%2eokta.com",
	"%65vil.example",
	// Unicode look-alikes
	"dev-1.оkta.com",       // Cyrillic о
	"dev-1.ｏkta.com",       // fullwidth ｏ
	"dev-1．okta.com",       // fullwidth full stop
	"dev-1.okta.com\u200b", // zero-width space
	"xn--dev-1-fsa.okta.com",
}

// outboundEnv is an env whose okta clients (the server's own and per-call
// ones) can only reach loopback, through a counting transport.
func outboundEnv(t *testing.T, perCall bool, allowHTTP bool) (*env, *countingTransport) {
	t.Helper()
	ct := newCountingTransport()
	clock := newStepClock()
	e := newConfiguredEnv(t, configuredEnv{
		perCall:   perCall,
		transport: func(*sandbox.Org) http.RoundTripper { return ct },
		config: func(c *okta.Config) {
			c.Clock = clock // retries of refused dials take no time
			c.AllowHTTP = allowHTTP
		},
	})
	return e, ct
}

// TestHostileDomainsNeverDialled: each hostile domain, as the per-call
// domain argument, as the X-Okta-Org-URL header (with and without
// X-Okta-API-Token) in per-call mode, and as the header in server mode, is
// refused with a clear error, and no connection is even attempted.
func TestHostileDomainsNeverDialled(t *testing.T) {
	const token = "00hostile-test-token-SECRET-1234"
	perCall, pct := outboundEnv(t, true, false)
	server, sct := outboundEnv(t, false, false)
	get := map[string]any{"userId": adaID}
	for _, domain := range hostileDomains {
		t.Run(domain, func(t *testing.T) {
			var results []string
			check := func(where string, e *env, ctx context.Context, args map[string]any) {
				t.Helper()
				res := e.callRaw(ctx, "okta_get_user", args)
				require.True(t, res.IsError, "%s: accepted: %s", where, text(res))
				msg := text(res)
				assert.Contains(t, msg, "is not an Okta org this server may call", where)
				assert.Contains(t, msg, "Nothing was sent to Okta", where)
				results = append(results, msg)
			}
			check("per-call domain", perCall, context.Background(),
				map[string]any{"apiKey": token, "domain": domain, "userId": adaID})
			check("per-call mode, headers", perCall, withHeaders(map[string]string{HeaderOrgURL: domain, HeaderAPIToken: token}), get)
			check("server mode, org header", server, withHeaders(map[string]string{HeaderOrgURL: domain}), get)
			check("server mode, both headers", server, withHeaders(map[string]string{HeaderOrgURL: domain, HeaderAPIToken: token}), get)

			assert.Zero(t, pct.attempts(), "per-call mode: no round trip, no dial")
			assert.Zero(t, sct.attempts(), "server mode: no round trip, no dial")
			for _, msg := range results {
				assert.NotContains(t, msg, token)
			}
		})
	}

	// The counters work: a well-formed org is attempted (and refused by the
	// test dialer, so nothing leaves the machine).
	t.Run("control: a valid org is dialled", func(t *testing.T) {
		res := perCall.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": token, "domain": "dev-1.okta.com", "userId": adaID})
		require.True(t, res.IsError)
		assert.Contains(t, text(res), "did not complete")
		assert.Positive(t, pct.trips.Load())
		assert.Equal(t, pct.dials.Load(), pct.refused.Load(), "every dial was to a non-loopback address and refused")
		assert.Positive(t, pct.dials.Load())

		res = server.callRaw(context.Background(), "okta_get_user", get)
		require.True(t, res.IsError)
		assert.Positive(t, sct.dials.Load(), "the server's own org is dialled")
		assert.Equal(t, sct.dials.Load(), sct.refused.Load())
	})
}

// TestAllowHTTPOnlyRelaxesLoopback: --allow-http accepts http:// org URLs
// on loopback (local fakes) and nothing else: metadata and private
// addresses stay refused without a connection attempt.
func TestAllowHTTPOnlyRelaxesLoopback(t *testing.T) {
	e, ct := outboundEnv(t, true, true)
	for _, domain := range []string{"http://169.254.169.254", "169.254.169.254", "http://10.0.0.1:8080", "http://192.168.1.1",
		"http://metadata.google.internal", "http://dev-1.okta.com", "http://0.0.0.0:8080", "http://2130706433", "http://[::ffff:127.0.0.1]:80"} {
		res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": "00tok-0000000000000000", "domain": domain, "userId": adaID})
		require.True(t, res.IsError, domain)
		assert.Contains(t, text(res), "is not an Okta org this server may call", domain)
	}
	assert.Zero(t, ct.attempts())

	// A loopback fake is reachable: okta-mcp sandbox on 127.0.0.1 (here: a
	// closed port, so the dial is attempted and fails).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": "00tok-0000000000000000", "domain": "http://" + addr, "userId": adaID})
	require.True(t, res.IsError)
	assert.NotContains(t, text(res), "is not an Okta org")
	assert.Positive(t, ct.dials.Load())
	assert.Zero(t, ct.refused.Load(), "only loopback was dialled")
}

// hostileIDs would change the request path if they were put in it as they
// are (or once a server or proxy decodes them).
var hostileIDs = []string{
	"..", ".", "../groups", "a/b", "/a", `a\b`, "a?b=1", "a#b", "a;b", "a/../../groups",
	"%2e%2e", "%2E%2E%2Fgroups", "a%2Fb", "a%2fb", "a%252Fb", "a%25252Fb", "a%3Fb", "a%23b", "%5c",
	"a\u2215b", "a\uff0fb", "\uff0e\uff0e", "a\x00b", "a\nb", "a\rb",
}

// TestHostileIDsNeverSent: every tool parameter that becomes a URL path
// segment (userId, groupId: found from the advertised schemas, so a new tool
// is covered too) refuses hostile values, naming the parameter, before
// anything reaches Okta; writes audit the refusal.
func TestHostileIDsNeverSent(t *testing.T) {
	e := newEnv(t)
	sales := e.groupID("Sales")
	valid := map[string]any{"userId": adaLogin, "groupId": sales}
	covered := map[string]bool{}
	for _, name := range e.listed() {
		st := e.srv.GetTool(name)
		require.NotNil(t, st)
		var in struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		require.NoError(t, json.Unmarshal(inputSchemaOf(t, st.Tool), &in))
		var idParams []string
		for p := range in.Properties {
			if _, ok := valid[p]; ok {
				idParams = append(idParams, p)
			}
		}
		sort.Strings(idParams)
		for _, param := range idParams {
			covered[name] = true
			t.Run(name+"/"+param, func(t *testing.T) {
				for _, bad := range hostileIDs {
					args := map[string]any{}
					for _, r := range in.Required {
						args[r] = "Some Name" // other required strings (e.g. a group's name)
					}
					for _, p := range idParams {
						args[p] = valid[p]
					}
					args[param] = bad
					before, audits := e.requests(), strings.Count(e.audit.String(), "\n")
					res := e.call(name, args)
					require.True(t, res.IsError, "%q accepted: %s", bad, text(res))
					assert.Contains(t, text(res), param+": invalid id or login", "%q", bad)
					assert.Contains(t, text(res), "Nothing was sent to Okta", "%q", bad)
					assert.Equal(t, before, e.requests(), "%q: nothing reached Okta", bad)
					if st.Tool.Annotations.ReadOnlyHint != nil && !*st.Tool.Annotations.ReadOnlyHint {
						all := strings.Split(strings.TrimSpace(e.audit.String()), "\n")
						require.Len(t, all, audits+1, "%q: the refused write is audited", bad)
						var last map[string]any
						require.NoError(t, json.Unmarshal([]byte(all[len(all)-1]), &last))
						assert.Equal(t, "invalid_arguments", last["result"])
						assert.Equal(t, name, last["tool"])
					}
				}
			})
		}
	}
	assert.Len(t, covered, toolCount-5, "every tool but create user/group, list users/groups and the System Log takes an id")
}

// TestRefusedOrgNeverEchoesCredentials: the refusal of an org URL quotes it
// only when it is a plain host name; a value that may carry a credential
// (user info, a query, the token itself, in any case) is not repeated.
func TestRefusedOrgNeverEchoesCredentials(t *testing.T) {
	const token = "00EchoSecret-Token-abcdef0123456789Q"
	perCall, _ := outboundEnv(t, true, false)
	server, _ := outboundEnv(t, false, false)
	for _, domain := range []string{
		"https://" + token + "@dev-1.okta.com",
		"https://user:" + token + "@evil.example",
		"https://evil.example/?token=" + token,
		"https://evil.example/#" + token,
		token,
		strings.ToLower(token),
		token + ".evil.example",
		"https://dev-1.okta.com/" + token,
	} {
		t.Run(domain, func(t *testing.T) {
			results := []string{
				text(perCall.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": token, "domain": domain, "userId": adaID})),
				text(perCall.callRaw(withHeaders(map[string]string{HeaderOrgURL: domain, HeaderAPIToken: token}), "okta_get_user", map[string]any{"userId": adaID})),
			}
			if domain != token+".evil.example" {
				// In server mode the request carries no token of its own to
				// recognise inside a plain host name; the other shapes are
				// never echoed.
				results = append(results, text(server.callRaw(withHeaders(map[string]string{HeaderOrgURL: domain}), "okta_get_user", map[string]any{"userId": adaID})))
			}
			for _, res := range results {
				assert.Contains(t, res, "is not an Okta org this server may call")
				assert.NotContains(t, strings.ToLower(res), strings.ToLower(token[2:len(token)-2]))
			}
		})
	}
	t.Run("plain hosts are quoted", func(t *testing.T) {
		res := perCall.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": token, "domain": "https://dev-1.okta.com.evil.example/", "userId": adaID})
		assert.Contains(t, text(res), `domain "https://dev-1.okta.com.evil.example/" is not an Okta org`)
	})
	assert.Equal(t, "a [redacted] b [redacted]", redact("a SeCrEt-ToKeN b secret-token", "Secret-Token"))
	assert.Equal(t, "short", redact("short", "short"), "values under 8 bytes are not tokens")
}
