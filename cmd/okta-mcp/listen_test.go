package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// modernPost sends one JSON-RPC request of protocol 2026-07-28 (no session)
// to url and returns the status, content type and body.
func modernPost(t *testing.T, url, method string, id int, params string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, method, params)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2026-07-28")
	req.Header.Set("Mcp-Method", method)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

const modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}`

// TestSubscriptionsListenIsNotFound: okta-mcp has nothing a listen stream
// could deliver, so subscriptions/listen is -32601 every time (mcp-go's
// empty stream lost its acknowledgement about one time in five), and other
// requests of the same protocol still reach mcp-go.
func TestSubscriptionsListenIsNotFound(t *testing.T) {
	for _, stateless := range []bool{false, true} {
		url := serveStreamable(t, stateless)
		for i := 1; i <= 20; i++ {
			status, ctype, body := modernPost(t, url, "subscriptions/listen", i, `{"notifications":{"toolsListChanged":true},`+modernMeta+`}`)
			require.Equal(t, http.StatusNotFound, status, "stateless=%v try %d: %s", stateless, i, body)
			assert.Equal(t, "application/json", ctype)
			var resp struct {
				ID    int `json:"id"`
				Error struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &resp), body)
			assert.Equal(t, i, resp.ID)
			assert.Equal(t, -32601, resp.Error.Code)
			assert.Contains(t, resp.Error.Message, "nothing to subscribe to")
		}
		status, _, body := modernPost(t, url, "tools/list", 99, `{`+modernMeta+`}`)
		assert.Equal(t, http.StatusOK, status, body)
		assert.Contains(t, body, "okta_get_user", "other modern requests still reach mcp-go")
	}
}
