package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// logNotes collects the notifications/message a client receives.
type logNotes struct {
	mu   sync.Mutex
	msgs []string // "level: message"
}

func (n *logNotes) watch(c *client.Client) {
	c.OnNotification(func(note mcp.JSONRPCNotification) {
		if note.Method != string(mcp.MethodNotificationMessage) {
			return
		}
		data, _ := note.Params.AdditionalFields["data"].(map[string]any)
		n.mu.Lock()
		n.msgs = append(n.msgs, fmt.Sprintf("%v: %v", note.Params.AdditionalFields["level"], data["message"]))
		n.mu.Unlock()
	})
}

func (n *logNotes) has(sub string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, m := range n.msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func (n *logNotes) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return strings.Join(n.msgs, "\n")
}

func setLevel(t *testing.T, c *client.Client, level mcp.LoggingLevel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.SetLevel(ctx, mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: level}}))
}

// TestServerClientLogsReachMCPClient: the server's own Okta client (server
// credentials from the environment, and --sandbox) logs its retries,
// rate-limit waits and request lines with the call's context, and they
// reach the MCP client that made the call as notifications/message, at the
// level it asked for; the same records still go to stderr.
func TestServerClientLogsReachMCPClient(t *testing.T) {
	t.Parallel()
	t.Run("server credentials: a retry", func(t *testing.T) {
		t.Parallel()
		org, err := sandbox.New(sandbox.Options{Faults: []sandbox.Fault{
			{Method: http.MethodGet, Path: "/api/v1/users/*", Status: 503, Times: 1},
		}})
		require.NoError(t, err)
		ts := httptest.NewServer(org)
		t.Cleanup(ts.Close)

		s := &session{t: t}
		var stderr *syncBuffer
		s.c, stderr = connectStdio(t, []string{"OKTA_ORG_URL=" + ts.URL, "OKTA_API_TOKEN=" + sandbox.DefaultToken},
			[]string{"--allow-http"}, clientOptions{legacy: true})
		notes := &logNotes{}
		notes.watch(s.c)
		setLevel(t, s.c, mcp.LoggingLevelWarning)

		got := s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
		assert.Equal(t, adaID, got["id"], "the read succeeded after the retry")
		assert.Eventually(t, func() bool { return notes.has("warning: okta: server error; retrying") }, 5*time.Second, 10*time.Millisecond,
			"the retry reached the client; got:\n%s", notes)
		assert.Contains(t, stderr.String(), "server error; retrying", "and the server's log")
		assert.False(t, notes.has("debug:"), "nothing below the client's level")
		assert.NotContains(t, notes.String()+stderr.String(), sandbox.DefaultToken)
	})
	t.Run("sandbox: request lines at debug", func(t *testing.T) {
		t.Parallel()
		s := &session{t: t}
		s.c, _ = connectStdio(t, nil, []string{"--sandbox"}, clientOptions{legacy: true})
		notes := &logNotes{}
		notes.watch(s.c)

		s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
		setLevel(t, s.c, mcp.LoggingLevelDebug)
		s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
		assert.Eventually(t, func() bool { return notes.has("debug: okta request") }, 5*time.Second, 10*time.Millisecond,
			"the okta client's request line reached the client; got:\n%s", notes)
	})
}
